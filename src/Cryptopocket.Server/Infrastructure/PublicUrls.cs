namespace Cryptopocket.Server.Infrastructure;

/// <summary>Builds the absolute URLs handed to partners for their customers (KYC form, payment gateway).</summary>
public sealed class PublicUrls(ServerOptions options)
{
    public string Base(HttpRequest request) =>
        (options.PublicUrl ?? $"{request.Scheme}://{request.Host}").TrimEnd('/');

    public string KycForm(HttpRequest request, string kycToken) => $"{Base(request)}/kyc/{kycToken}";
}
