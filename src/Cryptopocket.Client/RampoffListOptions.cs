namespace Cryptopocket.Client;

/// <summary>
/// Filters and page of <see cref="CryptopocketClient.ListRampoffsAsync"/>; every property left <see langword="null"/>
/// is not sent.
/// </summary>
public sealed record RampoffListOptions
{
    /// <summary>Only sales in this status; <see cref="RampoffStatus.Unknown"/> cannot be filtered on.</summary>
    public RampoffStatus? Status { get; init; }

    /// <summary>Only sales created with this external id.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Only sales of this customer.</summary>
    public long? UserId { get; init; }

    /// <summary>Only sales created at or after this moment.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only sales created before this moment.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The page to read, from 1; the server reads page 1 by default.</summary>
    public int? Page { get; init; }

    /// <summary>The page size, 1 to 100; the server's default is 20.</summary>
    public int? PerPage { get; init; }
}
