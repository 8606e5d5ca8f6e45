using System.Text.Json;
using Lucid.Dreams;
using Lucid.Json;
using Lucid.Sessions;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamStoredJsonTests
{
    // A dream as stores have written it since dreams first shipped; a database holding it must keep reading it.
    private const string Stored =
        """{"id":"drm_old","workspace_id":"default","status":"canceled","input_store_id":"memstore_a","session_ids":["sesn_1"],"model":"scripted/dreamer","output_behavior":"update_existing","usage":{"input_tokens":3,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0},"error":{"type":"interrupted","message":"stopped"},"created_at":"2026-01-31T00:00:00+00:00"}""";

    private static readonly Dream Expected = new()
    {
        Id = "drm_old",
        Status = DreamStatus.Canceled,
        InputStoreId = "memstore_a",
        SessionIds = ["sesn_1"],
        Model = "scripted/dreamer",
        OutputBehavior = DreamOutputBehavior.UpdateExisting,
        Usage = new SessionUsage { InputTokens = 3, OutputTokens = 2 },
        Error = new DreamError("interrupted", "stopped"),
        CreatedAt = new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void A_stored_dream_reads_back_with_its_status_and_output_behavior()
    {
        var read = JsonSerializer.Deserialize(Stored, LucidJsonContext.Default.Dream);

        Assert.NotNull(read);
        Assert.Equal((DreamStatus.Canceled, DreamOutputBehavior.UpdateExisting), (read.Status, read.OutputBehavior));
        Assert.Equal(["sesn_1"], read.SessionIds);
        Assert.Equal(Expected.Usage, read.Usage);
    }

    [Fact]
    public void A_dream_is_written_with_the_names_stores_already_hold()
    {
        Assert.Equal(Stored, JsonSerializer.Serialize(Expected, LucidJsonContext.Default.Dream));
    }
}
