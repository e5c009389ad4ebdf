namespace Cryptopocket.Bench.Load;

/// <summary>Which connection is asking, its how-many-th request, and whether the request falls in the measured window.</summary>
public readonly record struct LoadContext(int Connection, long Sequence, bool Measured);

/// <summary>
/// One closed-loop load: <see cref="Connections"/> loops, each with its own connection, each sending its next request as
/// soon as the previous answer is read. Bounded in time (warm-up + duration) and optionally in count.
/// </summary>
public sealed record LoadSpec
{
    public required string Name { get; init; }
    public required Uri BaseAddress { get; init; }
    public required int Connections { get; init; }
    public required TimeSpan WarmUp { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>Requests sent at most, warm-up included (the run ends at whichever bound comes first).</summary>
    public long MaxRequests { get; init; } = long.MaxValue;

    public required Func<LoadContext, HttpRequestMessage> NewRequest { get; init; }

    /// <summary>Whether the answer is the one the phase expects (true) or an error; may record what it needs from it.</summary>
    public required Func<LoadContext, HttpResponseMessage, byte[], bool> Judge { get; init; }
}
