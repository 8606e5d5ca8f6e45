using Lucid.Events;

namespace Lucid.Core.Tests.Events;

public sealed class LogIdTests
{
    [Theory]
    [InlineData("sesn_abc", false)]
    [InlineData("sthr_abc", true)]
    public void A_log_is_a_sessions_or_a_threads(string id, bool isThread)
    {
        var log = LogId.Of(id);

        Assert.Equal(id, log.Value);
        Assert.Equal(isThread, log.IsThread);
        Assert.Equal(id, (string)log);
    }

    [Theory]
    [InlineData("agent_abc")]
    [InlineData("sesn_")]
    [InlineData("")]
    public void Any_other_id_is_refused(string id) =>
        Assert.Contains("neither a session ID", Assert.Throws<ArgumentException>(() => LogId.Of(id)).Message, StringComparison.Ordinal);
}
