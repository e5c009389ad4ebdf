namespace Cryptopocket.Client;

/// <summary>
/// Filters of <see cref="CryptopocketClient.ListWebhookDeliveriesAsync"/>; every property left <see langword="null"/>
/// is not sent.
/// </summary>
public sealed record WebhookDeliveryListOptions
{
    /// <summary>Only deliveries in this status; <see cref="WebhookDeliveryStatus.Unknown"/> cannot be filtered on.</summary>
    public WebhookDeliveryStatus? Status { get; init; }

    /// <summary>Only deliveries of this event type (see <see cref="WebhookEventTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>How many deliveries to read, newest first: 1 to 500; the server's default is 100.</summary>
    public int? Limit { get; init; }
}
