namespace Lucid.Dreams.Stages;

/// <summary>What a dream holds after a stage; each state has every input the next stage needs.</summary>
internal interface IDreamState
{
    /// <summary>The report of the stages done so far.</summary>
    DreamReport Report { get; }
}
