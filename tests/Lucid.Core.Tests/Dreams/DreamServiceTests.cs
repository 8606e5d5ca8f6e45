using Lucid.Dreams;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamServiceTests
{
    [Fact]
    public async Task Cancel_repeated_returns_the_canceled_dream_and_stops_the_run_only_once()
    {
        using var h = new DreamHarness();
        var (logs, _, _, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync();
        var created = (await h.Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = store, SessionIds = [logs[0].SessionId], Model = Model }, None)).Value!;
        var stops = new List<string>();
        h.Dreams.Canceled = d => stops.Add(d.Id);

        var first = await h.Dreams.CancelAsync(Ws, created.Id, None);
        var second = await h.Dreams.CancelAsync(Ws, created.Id, None);

        Assert.Equal(DreamStatus.Canceled, first.Value!.Status);
        Assert.Equal(DreamStatus.Canceled, second.Value!.Status);
        Assert.Equal([created.Id], stops);
    }
}
