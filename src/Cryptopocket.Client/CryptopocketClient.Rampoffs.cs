using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

// The off-ramp calls: a customer sells crypto for fiat paid to an IBAN.
public sealed partial class CryptopocketClient
{
    /// <summary>Quotes what selling an amount of a coin pays out, net of fees (<c>GET api/getRampoffQuote</c>).</summary>
    /// <param name="options">The amount, coin and chain.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The quote, valid until <see cref="RampoffQuoteResult.ExpiresAt"/>.</returns>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>min_purchase</c>, <c>limit_exceded</c> or <c>coin_not_supported</c>,
    /// or <see cref="CryptopocketException.ValidationFailed"/> for an amount with more decimals than the coin has.
    /// </exception>
    public Task<RampoffQuoteResult> GetRampoffQuoteAsync(RampoffQuoteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Symbol, nameof(options));
        var path = "api/getRampoffQuote" + Query(
            ("amount", options.Amount.ToString(CultureInfo.InvariantCulture)),
            ("symbol", options.Symbol),
            ("blockchain", options.Blockchain));
        return SendAuthorizedAsync<OkResponse<RampoffQuote>, RampoffQuoteResult>(
            () => new HttpRequestMessage(HttpMethod.Get, path), RampoffConversions.ToRampoffQuote, cancellationToken);
    }

    /// <summary>
    /// Creates a sale of crypto for fiat paid to an IBAN (<c>POST api/createRampoff</c>); the customer then sends the
    /// coin to the sale's own deposit address before the deposit window closes. Idempotent as
    /// <see cref="CreatePaymentAsync"/> is.
    /// </summary>
    /// <param name="request">The customer, amount in coin units, coin, chain and, unless registered, the IBAN.</param>
    /// <param name="options">The idempotency key to send, if the caller has one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sale and the address to send the coin to.</returns>
    /// <exception cref="ArgumentException"><see cref="RequestOptions.IdempotencyKey"/> is not 1 to 255 printable ASCII characters.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>require_kyc</c> (the KYC form URL in <see cref="CryptopocketException.Data"/>),
    /// <c>min_purchase</c>, <c>limit_exceded</c>, <c>coin_not_supported</c>, <c>fail_mandatory_field</c> or
    /// <c>idempotency_key_reused</c>, or <see cref="CryptopocketException.ValidationFailed"/> for a malformed IBAN or amount.
    /// </exception>
    public Task<RampoffCreatedResult> CreateRampoffAsync(
        CreateRampoffRequest request, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = IdempotencyKey(options);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, TypeInfo<CreateRampoffRequest>());
        return SendAuthorizedAsync<OkResponse<RampoffCreated>, RampoffCreatedResult>(
            () => JsonPost("api/createRampoff", body, key), RampoffConversions.ToRampoffCreated, cancellationToken);
    }

    /// <summary>Reads a sale (<c>GET api/getRampoff</c>).</summary>
    /// <param name="id">The sale's id, as returned when it was created.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sale, its coin amounts both exact in base units and as decimals.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error, e.g. <c>rampoff_not_found</c>.</exception>
    public Task<RampoffInfo> GetRampoffAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var path = "api/getRampoff" + Query(("id", id));
        return SendAuthorizedAsync<OkResponse<RampoffDetail>, RampoffInfo>(
            () => new HttpRequestMessage(HttpMethod.Get, path), RampoffConversions.ToRampoffInfo, cancellationToken);
    }

    /// <summary>Lists one page of the integration's sales, newest first (<c>GET api/rampoffs</c>).</summary>
    /// <param name="options">The filters and the page; the first page of every sale when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the pagination the server reported.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RampoffListOptions.Status"/> is <see cref="RampoffStatus.Unknown"/>.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <see cref="CryptopocketException.ValidationFailed"/> for a page size over 100.
    /// </exception>
    public Task<RampoffPage> ListRampoffsAsync(RampoffListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RampoffListOptions();
        var path = "api/rampoffs" + ListQuery(options.Status is { } status ? RampoffConversions.ToWire(status) : null,
            options.ExternalId, options.UserId, options.From, options.To, options.Page, options.PerPage);
        return SendAuthorizedAsync<PageResponse<RampoffDetail>, RampoffPage>(
            () => new HttpRequestMessage(HttpMethod.Get, path), RampoffConversions.ToRampoffPage, cancellationToken);
    }

    /// <summary>
    /// Walks every page of <see cref="ListRampoffsAsync"/> from <see cref="RampoffListOptions.Page"/> (or the first) to
    /// the last, reading each page only when the previous one is consumed. The list is newest first, so a sale created
    /// while walking can push one already read onto the next page, where it is read again.
    /// </summary>
    /// <param name="options">The filters, the page size and the page to start at.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>Every matching sale, newest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RampoffListOptions.Status"/> is <see cref="RampoffStatus.Unknown"/>.</exception>
    /// <exception cref="CryptopocketException">The server answered a page with an error.</exception>
    public IAsyncEnumerable<RampoffInfo> ListAllRampoffsAsync(RampoffListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RampoffListOptions();
        return WalkPagesAsync(options.Page, (page, token) => ListRampoffsAsync(options with { Page = page }, token),
            result => (result.Rampoffs, result.LastPage), cancellationToken);
    }
}
