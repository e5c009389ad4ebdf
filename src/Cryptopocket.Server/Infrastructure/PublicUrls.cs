namespace Cryptopocket.Server.Infrastructure;

/// <summary>Builds the absolute URLs handed to partners for their customers (KYC form, payment gateway).</summary>
public sealed class PublicUrls(ServerOptions options)
{
    public string Base(HttpRequest request) =>
        (options.PublicUrl ?? $"{request.Scheme}://{request.Host}").TrimEnd('/');

    public string KycForm(HttpRequest request, string kycToken) => KycForm(Base(request), kycToken);

    /// <summary>For work that may outlive the request (a batch other requests share): the base taken from it beforehand.</summary>
    public static string KycForm(string baseUrl, string kycToken) => $"{baseUrl}/kyc/{kycToken}";
}
