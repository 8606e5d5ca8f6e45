using Lucid.Dreams;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamNamesTests
{
    [Fact]
    public void Every_status_has_the_name_the_api_and_stores_use_and_reads_back_from_it()
    {
        Assert.Equal(["pending", "running", "completed", "failed", "canceled"], Enum.GetValues<DreamStatus>().Select(s => s.ToWire()));
        Assert.Equal(["pending", "running", "completed", "failed", "canceled"], DreamNames.StatusNames);
        Assert.All(Enum.GetValues<DreamStatus>(), s => Assert.True(DreamNames.TryParseStatus(s.ToWire(), out var read) && read == s));
    }

    [Fact]
    public void Every_output_behavior_and_stage_has_its_name()
    {
        Assert.Equal(["create_new", "update_existing"], Enum.GetValues<DreamOutputBehavior>().Select(b => b.ToWire()));
        Assert.All(Enum.GetValues<DreamOutputBehavior>(), b => Assert.True(DreamNames.TryParseOutputBehavior(b.ToWire(), out var read) && read == b));
        Assert.Equal(["start", "digest", "mine", "reflect", "curate", "validate", "apply"], Enum.GetValues<DreamStage>().Select(s => s.ToWire()));
    }

    [Fact]
    public void Every_curation_operation_has_the_name_the_model_writes()
    {
        Assert.Equal(["add", "update", "merge", "retire", "add_skill"], Enum.GetValues<DreamOperationKind>().Select(k => k.ToWire()));
        Assert.All(Enum.GetValues<DreamOperationKind>(), k => Assert.True(DreamNames.TryParseOperationKind(k.ToWire(), out var read) && read == k));
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_that_is_not_one_of_them_is_not_a_status(string? name) =>
        Assert.False(DreamNames.TryParseStatus(name, out _));
}
