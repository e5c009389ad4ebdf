using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>
/// Client of the Cryptopocket partner API. It authenticates lazily, caches the token, renews it
/// <see cref="CryptopocketClientOptions.RefreshBeforeExpiry"/> before it expires, and when a call is answered
/// <c>authorization_incorrect</c> (a revoked token) authenticates again and retries that call once.
/// Every error answer is thrown as a <see cref="CryptopocketException"/>. Safe for concurrent use.
/// </summary>
public sealed partial class CryptopocketClient : IDisposable
{
    private const string AuthHeader = "auth";
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly CryptopocketClientOptions _options;
    private readonly TimeProvider _clock;
    private readonly TokenCache _tokens;

    /// <summary>Creates a client.</summary>
    /// <param name="http">
    /// The HTTP client to send with; its <see cref="HttpClient.BaseAddress"/> is the server root, ending with a slash
    /// (e.g. <c>https://api.example.com/</c>). The caller keeps ownership of it.
    /// </param>
    /// <param name="options">The integration's credentials and the token policy.</param>
    /// <param name="clock">The clock that decides when a token is due for renewal; the system clock by default.</param>
    public CryptopocketClient(HttpClient http, CryptopocketClientOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiSecret, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RefreshBeforeExpiry, TimeSpan.Zero, nameof(options));
        _http = http;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _tokens = new TokenCache(RequestTokenAsync, options.RefreshBeforeExpiry, _clock);
    }

    /// <summary>
    /// Authenticates now (<c>POST api/authenticate</c>) and caches the token for the calls that follow. Other calls
    /// authenticate by themselves when needed; this is for checking credentials up front.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token.</returns>
    /// <exception cref="CryptopocketException">The credentials are refused (<c>authorization_incorrect</c>), or any other error answer.</exception>
    public Task<AccessToken> AuthenticateAsync(CancellationToken cancellationToken = default) =>
        _tokens.RefreshAsync(cancellationToken);

    /// <summary>Lists the coins and chains on offer (<c>GET api/available-assets</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per coin and chain.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error.</exception>
    public Task<IReadOnlyList<Asset>> GetAvailableAssetsAsync(CancellationToken cancellationToken = default) =>
        SendAuthorizedAsync<OkResponse<IReadOnlyList<AvailableAsset>>, IReadOnlyList<Asset>>(
            () => new HttpRequestMessage(HttpMethod.Get, "api/available-assets"), WireConversions.ToAssets, cancellationToken);

    /// <summary>Reads the reference price of one unit of a coin (<c>GET api/token-price</c>).</summary>
    /// <param name="symbol">The coin's symbol, e.g. <c>USDT</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The price.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error, e.g. <c>coin_not_supported</c>.</exception>
    public Task<Price> GetTokenPriceAsync(string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var path = "api/token-price" + Query(("symbol", symbol));
        return SendAuthorizedAsync<OkResponse<TokenPrice>, Price>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToPrice, cancellationToken);
    }

    /// <summary>Lists the payment methods, their fees and whether this integration may use each (<c>GET api/payment-methods</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every payment method.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error.</exception>
    public Task<IReadOnlyList<PaymentMethodInfo>> GetPaymentMethodsAsync(CancellationToken cancellationToken = default) =>
        SendAuthorizedAsync<OkResponse<IReadOnlyList<PaymentMethod>>, IReadOnlyList<PaymentMethodInfo>>(
            () => new HttpRequestMessage(HttpMethod.Get, "api/payment-methods"), WireConversions.ToPaymentMethods, cancellationToken);

    /// <summary>Quotes what a fiat amount buys of a coin, net of fees (<c>GET api/quote</c>).</summary>
    /// <param name="options">The amount, coin, chain and payment method.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The quote, valid until <see cref="QuoteResult.ExpiresAt"/>.</returns>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>min_purchase</c>, <c>limit_exceded</c> or <c>method_not_allowed</c>.
    /// </exception>
    public Task<QuoteResult> GetQuoteAsync(QuoteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Symbol, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PaymentType, nameof(options));
        var path = "api/quote" + Query(
            ("amount", options.Amount.ToString(CultureInfo.InvariantCulture)),
            ("symbol", options.Symbol),
            ("chain", options.Chain),
            ("payment_type", options.PaymentType));
        return SendAuthorizedAsync<OkResponse<Quote>, QuoteResult>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToQuote, cancellationToken);
    }

    /// <summary>Registers an individual customer (<c>POST api/registerUser</c>).</summary>
    /// <param name="request">The customer's details.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered customer, with the URL of the hosted KYC form.</returns>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>user_already_exists</c>, or <see cref="CryptopocketException.ValidationFailed"/>
    /// with the offending fields in <see cref="CryptopocketException.ValidationErrors"/>.
    /// </exception>
    public Task<RegisteredUser> RegisterUserAsync(RegisterUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, TypeInfo<RegisterUserRequest>());
        return SendAuthorizedAsync<OkResponse<RegisteredUser>, RegisteredUser>(
            () => JsonPost("api/registerUser", body), WireConversions.ToRegisteredUser, cancellationToken);
    }

    /// <summary>Reads a customer's KYC status (<c>GET api/kyc/check</c>).</summary>
    /// <param name="userId">The customer's id, as returned by <see cref="RegisterUserAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The KYC status and, until it is valid, the form to send the customer to.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error, e.g. <c>user_not_found</c>.</exception>
    public Task<KycResult> CheckKycAsync(long userId, CancellationToken cancellationToken = default)
    {
        var path = "api/kyc/check" + Query(("user_id", userId.ToString(CultureInfo.InvariantCulture)));
        return SendAuthorizedAsync<KycCheckResponse, KycResult>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToKycResult, cancellationToken);
    }

    /// <summary>
    /// Creates a purchase paid by card, PSD2 or SEPA transfer and delivered to the given wallet
    /// (<c>POST api/createPayment</c>). The call is sent with an <c>Idempotency-Key</c>, the one of
    /// <paramref name="options"/> or one generated for this call, and the retry after a re-authentication sends the same
    /// key, so the call never creates two purchases.
    /// </summary>
    /// <param name="request">The customer, amount, coin, chain, wallet and payment method.</param>
    /// <param name="options">The idempotency key to send, if the caller has one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The purchase, with <see cref="PaymentCreated.PaymentUrl"/> for card and PSD2 or <see cref="PaymentCreated.Transfer"/>
    /// for a transfer.
    /// </returns>
    /// <exception cref="ArgumentException"><see cref="RequestOptions.IdempotencyKey"/> is not 1 to 255 printable ASCII characters.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>require_kyc</c> (the KYC form URL in <see cref="CryptopocketException.Data"/>),
    /// <c>min_purchase</c>, <c>limit_exceded</c>, <c>fail_mandatory_field</c> or <c>idempotency_key_reused</c>.
    /// </exception>
    public Task<PaymentCreated> CreatePaymentAsync(
        CreatePaymentRequest request, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = IdempotencyKey(options);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, TypeInfo<CreatePaymentRequest>());
        return SendAuthorizedAsync<SuccessResponse<JsonElement>, PaymentCreated>(
            () => JsonPost("api/createPayment", body, key), WireConversions.ToPaymentCreated, cancellationToken);
    }

    /// <summary>
    /// Creates a purchase the customer completes on the hosted gateway, in EUR only (<c>POST api/createGuidedPayment</c>).
    /// Idempotent as <see cref="CreatePaymentAsync"/> is.
    /// </summary>
    /// <param name="request">The customer, amount, coin and chain.</param>
    /// <param name="options">The idempotency key to send, if the caller has one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The purchase and the gateway page to send the customer to.</returns>
    /// <exception cref="ArgumentException"><see cref="RequestOptions.IdempotencyKey"/> is not 1 to 255 printable ASCII characters.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>require_kyc</c>, <c>min_purchase</c>, <c>limit_exceded</c> or
    /// <c>idempotency_key_reused</c>.
    /// </exception>
    public Task<GuidedPaymentResult> CreateGuidedPaymentAsync(
        CreateGuidedPaymentRequest request, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = IdempotencyKey(options);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, TypeInfo<CreateGuidedPaymentRequest>());
        return SendAuthorizedAsync<SuccessResponse<GuidedPaymentCreated>, GuidedPaymentResult>(
            () => JsonPost("api/createGuidedPayment", body, key), WireConversions.ToGuidedPaymentResult, cancellationToken);
    }

    /// <summary>Reads a purchase (<c>GET api/payment/{id}</c>).</summary>
    /// <param name="paymentId">The purchase's id, as returned when it was created.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The purchase.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error, e.g. <c>payment_not_found</c>.</exception>
    public Task<PaymentInfo> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        if (paymentId is "." or "..")
        {
            // Escaping leaves dots alone, and a dot segment would move the request to another path.
            throw new ArgumentException("A payment id cannot be a dot segment.", nameof(paymentId));
        }
        var path = "api/payment/" + Uri.EscapeDataString(paymentId);
        return SendAuthorizedAsync<OkResponse<PaymentDetail>, PaymentInfo>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToPaymentInfo, cancellationToken);
    }

    /// <summary>Lists one page of the integration's purchases, newest first (<c>GET api/payments</c>).</summary>
    /// <param name="options">The filters and the page; the first page of every purchase when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the pagination the server reported.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PaymentListOptions.Status"/> is <see cref="PaymentStatus.Unknown"/>.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <see cref="CryptopocketException.ValidationFailed"/> for a page size over 100.
    /// </exception>
    public Task<PaymentPage> ListPaymentsAsync(PaymentListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PaymentListOptions();
        var path = "api/payments" + ListQuery(options.Status is { } status ? WireConversions.ToWire(status) : null,
            options.ExternalId, options.UserId, options.From, options.To, options.Page, options.PerPage);
        return SendAuthorizedAsync<PageResponse<PaymentDetail>, PaymentPage>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToPaymentPage, cancellationToken);
    }

    /// <summary>
    /// Walks every page of <see cref="ListPaymentsAsync"/> from <see cref="PaymentListOptions.Page"/> (or the first) to
    /// the last, reading each page only when the previous one is consumed. The list is newest first, so a purchase
    /// created while walking can push one already read onto the next page, where it is read again.
    /// </summary>
    /// <param name="options">The filters, the page size and the page to start at.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>Every matching purchase, newest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PaymentListOptions.Status"/> is <see cref="PaymentStatus.Unknown"/>.</exception>
    /// <exception cref="CryptopocketException">The server answered a page with an error.</exception>
    public IAsyncEnumerable<PaymentInfo> ListAllPaymentsAsync(PaymentListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PaymentListOptions();
        return WalkPagesAsync(options.Page, (page, token) => ListPaymentsAsync(options with { Page = page }, token),
            result => (result.Payments, result.LastPage), cancellationToken);
    }

    /// <summary>
    /// Subscribes a URL to one event type (<c>POST api/subscribeToWebhook</c>, form-encoded). Each event type has at
    /// most one subscription; change its URL with <see cref="UpdateWebhookSubscriptionAsync"/>. Check the deliveries
    /// with <see cref="WebhookVerifier"/>.
    /// </summary>
    /// <param name="type">The event type (see <see cref="WebhookEventTypes"/>).</param>
    /// <param name="url">The absolute http(s) URL to deliver to; https and a public address outside the sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the subscription exists.</returns>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>subscription_already_exists</c>, or
    /// <see cref="CryptopocketException.ValidationFailed"/> for an unknown type or a URL it does not accept.
    /// </exception>
    public Task SubscribeToWebhookAsync(string type, Uri url, CancellationToken cancellationToken = default) =>
        SendSubscriptionAsync("api/subscribeToWebhook", type, url, cancellationToken);

    /// <summary>Changes the URL of the subscription of one event type (<c>POST api/updateWebhookSubscription</c>, form-encoded).</summary>
    /// <param name="type">The event type (see <see cref="WebhookEventTypes"/>).</param>
    /// <param name="url">The new absolute http(s) URL to deliver to.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the subscription is changed.</returns>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>subscription_not_found</c>, or
    /// <see cref="CryptopocketException.ValidationFailed"/> for an unknown type or a URL it does not accept.
    /// </exception>
    public Task UpdateWebhookSubscriptionAsync(string type, Uri url, CancellationToken cancellationToken = default) =>
        SendSubscriptionAsync("api/updateWebhookSubscription", type, url, cancellationToken);

    /// <summary>Lists the integration's webhook deliveries, newest first, each with its attempts (<c>GET api/webhooks/deliveries</c>).</summary>
    /// <param name="options">The filters; the last 100 deliveries of every status and type when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WebhookDeliveryListOptions.Status"/> is <see cref="WebhookDeliveryStatus.Unknown"/>.</exception>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <see cref="CryptopocketException.ValidationFailed"/> for a limit over 500.
    /// </exception>
    public Task<IReadOnlyList<WebhookDeliveryInfo>> ListWebhookDeliveriesAsync(
        WebhookDeliveryListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WebhookDeliveryListOptions();
        var path = "api/webhooks/deliveries" + Query(
            ("status", options.Status is { } status ? WireConversions.ToWire(status) : null),
            ("type", options.Type),
            ("limit", options.Limit?.ToString(CultureInfo.InvariantCulture)));
        return SendAuthorizedAsync<OkResponse<IReadOnlyList<WebhookDeliveryDetail>>, IReadOnlyList<WebhookDeliveryInfo>>(
            () => new HttpRequestMessage(HttpMethod.Get, path), WireConversions.ToWebhookDeliveries, cancellationToken);
    }

    /// <summary>
    /// Sends one delivery again, whatever its status (<c>POST api/webhooks/deliveries/{id}/redeliver</c>): it becomes
    /// pending and is attempted at once.
    /// </summary>
    /// <param name="deliveryId">The delivery's id, from <see cref="ListWebhookDeliveriesAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the redelivery is scheduled.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error, e.g. <c>delivery_not_found</c>.</exception>
    public Task RedeliverWebhookAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        var path = "api/webhooks/deliveries/" + deliveryId.ToString(CultureInfo.InvariantCulture) + "/redeliver";
        return SendAuthorizedAsync<OkResponse<string>, string>(
            () => new HttpRequestMessage(HttpMethod.Post, path), WireConversions.ToAcknowledgement, cancellationToken);
    }

    /// <summary>
    /// Sends again every delivery of the events that happened in [<paramref name="from"/>, <paramref name="to"/>)
    /// (<c>POST api/webhooks/redeliver</c>), for a receiver that lost data.
    /// </summary>
    /// <param name="from">The first moment of the range.</param>
    /// <param name="to">The end of the range, excluded.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries were scheduled again.</returns>
    /// <exception cref="CryptopocketException">The server answered with an error.</exception>
    public Task<int> RedeliverWebhooksAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new RedeliverRangeRequest(from, to), TypeInfo<RedeliverRangeRequest>());
        return SendAuthorizedAsync<OkResponse<RedeliveryCount>, int>(
            () => JsonPost("api/webhooks/redeliver", body), WireConversions.ToRedeliveryCount, cancellationToken);
    }

    /// <summary>
    /// Sends a <see cref="WebhookEventTypes.WebhookTest"/> event to the subscription of one event type
    /// (<c>POST api/webhooks/test</c>), to check a receiver.
    /// </summary>
    /// <param name="type">The event type whose subscription receives the test (see <see cref="WebhookEventTypes"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The test event's id, as the receiver gets it in the body and <c>X-Event-Id</c>.</returns>
    /// <exception cref="CryptopocketException">
    /// The server answered with an error, e.g. <c>subscription_not_found</c> when the type has no subscription.
    /// </exception>
    public Task<string> SendTestWebhookAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var body = JsonSerializer.SerializeToUtf8Bytes(new SendTestWebhookRequest(type), TypeInfo<SendTestWebhookRequest>());
        return SendAuthorizedAsync<OkResponse<TestWebhookQueued>, string>(
            () => JsonPost("api/webhooks/test", body), WireConversions.ToTestEventId, cancellationToken);
    }

    /// <summary>Releases the token lock. The <see cref="HttpClient"/> passed in is not disposed.</summary>
    public void Dispose() => _tokens.Dispose();

    private async Task<AccessToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new AuthenticateRequest(_options.ApiKey, _options.ApiSecret), TypeInfo<AuthenticateRequest>());
        var requestedAt = _clock.GetUtcNow();
        return await SendAsync<OkResponse<AuthenticateData>, AccessToken>(
            JsonPost("api/authenticate", body), token: null, answer => WireConversions.ToAccessToken(answer, requestedAt), cancellationToken);
    }

    private Task SendSubscriptionAsync(string path, string type, Uri url, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("A webhook URL must be absolute.", nameof(url));
        }
        var fields = new Dictionary<string, string> { ["type"] = type, ["url"] = url.AbsoluteUri };
        return SendAuthorizedAsync<OkResponse<string>, string>(
            () => new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) },
            WireConversions.ToAcknowledgement,
            cancellationToken);
    }

    private async Task<TResult> SendAuthorizedAsync<TWire, TResult>(
        Func<HttpRequestMessage> createRequest, Func<TWire, TResult> convert, CancellationToken cancellationToken)
        where TWire : class
    {
        var token = await _tokens.GetAsync(cancellationToken);
        try
        {
            return await SendAsync(createRequest(), token, convert, cancellationToken);
        }
        catch (CryptopocketException rejected) when (rejected.ErrorCode == ErrorCodes.AuthorizationIncorrect)
        {
            // Revoked by a secret rotation or expired early: one new token and one retry, never a loop.
            var renewed = await _tokens.RenewAsync(token, cancellationToken);
            return await SendAsync(createRequest(), renewed, convert, cancellationToken);
        }
    }

    private async Task<TResult> SendAsync<TWire, TResult>(
        HttpRequestMessage request, AccessToken? token, Func<TWire, TResult> convert, CancellationToken cancellationToken)
        where TWire : class
    {
        using (request)
        {
            request.Headers.Accept.ParseAdd("application/json");
            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation(AuthHeader, token.Token);
            }
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await ResponseReader.ReadAsync(response, convert, cancellationToken);
        }
    }

    private static HttpRequestMessage JsonPost(string path, byte[] body, string? idempotencyKey = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }
        return request;
    }

    /// <summary>
    /// The caller's key, or a new one for this logical call: taken once, before the first attempt, so that the retry
    /// after a re-authentication repeats it and the server answers the retry from the first attempt if that one ran.
    /// </summary>
    private static string IdempotencyKey(RequestOptions? options)
    {
        var key = options?.IdempotencyKey;
        if (key is null)
        {
            return Guid.NewGuid().ToString("N");
        }
        if (key.Length is 0 or > 255 || key.Any(c => c < '!' || c > '~'))
        {
            throw new ArgumentException("An idempotency key is 1 to 255 printable ASCII characters, without spaces.", nameof(options));
        }
        return key;
    }

    /// <summary>The query string every list endpoint takes (docs/api.md, "GET /api/payments").</summary>
    private static string ListQuery(string? status, string? externalId, long? userId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? perPage) =>
        Query(
            ("status", status),
            ("external_id", externalId),
            ("user_id", userId?.ToString(CultureInfo.InvariantCulture)),
            ("from", Timestamp(from)),
            ("to", Timestamp(to)),
            ("page", page?.ToString(CultureInfo.InvariantCulture)),
            ("per_page", perPage?.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Reads pages from <paramref name="firstPage"/> (or 1) to the last, each only when the previous one is consumed.
    /// Counted from the page asked for, not the one reported, so that the walk always moves forward.
    /// </summary>
    private static async IAsyncEnumerable<TItem> WalkPagesAsync<TPage, TItem>(int? firstPage, Func<int, CancellationToken, Task<TPage>> read,
        Func<TPage, (IReadOnlyList<TItem> Items, int LastPage)> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = firstPage ?? 1; ; page++)
        {
            var (found, lastPage) = items(await read(page, cancellationToken));
            foreach (var item in found)
            {
                yield return item;
            }
            if (found.Count == 0 || page >= lastPage)
            {
                yield break;
            }
        }
    }

    private static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);

    private static string Query(params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            query.Append(query.Length == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(name))
                .Append('=')
                .Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => ClientJson.TypeInfo<T>();
}
