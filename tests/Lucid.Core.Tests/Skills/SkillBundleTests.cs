using System.Text;
using Lucid.Results;
using Lucid.Skills;

namespace Lucid.Core.Tests.Skills;

public sealed class SkillBundleTests
{
    private static SkillPart Part(string path, string content) => new(path, "text/plain", new MemoryStream(Encoding.UTF8.GetBytes(content)));

    private static Task<Result<SkillBundle>> ReadAsync(params SkillPart[] parts) => SkillBundle.ReadAsync(parts, CancellationToken.None);

    [Fact]
    public async Task Front_matter_blocks_and_quotes_are_read_and_the_body_is_the_instructions()
    {
        var bundle = await ReadAsync(
            Part("forms/SKILL.md", "---\r\nname: 'pdf-forms'\r\nlicense: MIT\r\nmetadata:\r\n  owner: ops\r\ndescription: >\r\n  Fills PDF forms\r\n  from a CSV.\r\n---\r\n# Steps\r\nRun it.\r\n"),
            Part("forms/scripts/fill.py", "print(1)"));

        Assert.True(bundle.IsSuccess, bundle.Error?.Message);
        Assert.Equal(("pdf-forms", "forms", "Fills PDF forms from a CSV."), (bundle.Value!.Name, bundle.Value.Directory, bundle.Value.Manifest.Description));
        Assert.Equal("# Steps\nRun it.", bundle.Value.Manifest.Instructions);
        Assert.Equal(["SKILL.md", "scripts/fill.py"], bundle.Value.Files.Keys);
    }

    [Fact]
    public async Task Without_a_name_the_directory_names_the_skill_and_must_be_a_valid_name()
    {
        var named = await ReadAsync(Part("csv-tools/SKILL.md", "---\ndescription: \"Cleans CSV files.\"\n---\nBody"));
        var badDirectory = await ReadAsync(Part("CSV Tools/SKILL.md", "---\ndescription: Cleans CSV files.\n---\nBody"));

        Assert.Equal("csv-tools", named.Value!.Name);
        Assert.Equal(ErrorKind.InvalidRequest, badDirectory.Error?.Kind);
        Assert.Contains("its directory names the skill", badDirectory.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: Pdf-Forms", "lowercase letters")]
    [InlineData("name: pdf--forms", "lowercase letters")]
    [InlineData("name: my-claude-helper", "reserved word")]
    [InlineData("name: pdf-forms\ndescription: Uses <b>tags</b>", "XML tags")]
    [InlineData("name: pdf-forms\ndescription: \"\"", "needs a description")]
    public async Task Bad_front_matter_is_refused_naming_the_cause(string frontMatter, string cause)
    {
        var description = frontMatter.Contains("description", StringComparison.Ordinal) ? "" : "\ndescription: Fills forms.";

        var bundle = await ReadAsync(Part("forms/SKILL.md", $"---\n{frontMatter}{description}\n---\nBody"));

        Assert.Equal(ErrorKind.InvalidRequest, bundle.Error?.Kind);
        Assert.Contains(cause, bundle.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/forms/SKILL.md", "relative path")]
    [InlineData("forms/./SKILL.md", "'..' segment")]
    [InlineData("SKILL.md", "not inside a directory")]
    [InlineData("forms/README.md", "no SKILL.md")]
    public async Task Bad_paths_are_refused_naming_the_cause(string path, string cause)
    {
        var bundle = await ReadAsync(Part(path, "---\nname: forms\ndescription: Fills forms.\n---\n"));

        Assert.Equal(ErrorKind.InvalidRequest, bundle.Error?.Kind);
        Assert.Contains(cause, bundle.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_over_the_total_limit_are_too_large()
    {
        var bundle = await ReadAsync(
            Part("forms/SKILL.md", "---\nname: forms\ndescription: Fills forms.\n---\n"),
            new SkillPart("forms/big.bin", null, new MemoryStream(new byte[SkillBundle.MaxTotalBytes])));

        Assert.Equal(ErrorKind.TooLarge, bundle.Error?.Kind);
    }
}
