namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>What makes a request bad.</summary>
internal enum BadKind
{
    /// <summary>A malformed ID (or import format) in the path.</summary>
    PathId,

    /// <summary>A well-formed ID that names nothing, or something of another workspace.</summary>
    UnknownId,

    /// <summary>A method the route does not map.</summary>
    WrongMethod,

    /// <summary>A bad value of a query parameter (or <c>Last-Event-ID</c>) the handler reads.</summary>
    Query,

    /// <summary>Random bytes.</summary>
    Garbage,

    /// <summary>Nesting opened far deeper than it is closed.</summary>
    Unbalanced,

    /// <summary>10,000 arrays nested and closed.</summary>
    DeepArrays,

    /// <summary>10,000 objects nested and closed.</summary>
    DeepObjects,

    /// <summary>A body over the server's size limit.</summary>
    Oversized,

    /// <summary>JSON that is not an object.</summary>
    NotAnObject,

    /// <summary>A valid object with one field spoiled (and sometimes a required one left out).</summary>
    Field,

    /// <summary>A transcript file with no record.</summary>
    NoRecords,

    /// <summary>A transcript file with no readable transcript.</summary>
    MalformedRecords,
}
