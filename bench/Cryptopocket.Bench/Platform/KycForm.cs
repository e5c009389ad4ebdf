using System.Net;
using System.Text.RegularExpressions;

namespace Cryptopocket.Bench.Platform;

/// <summary>
/// Completes the hosted KYC form as a customer's browser would: GET the page (antiforgery cookie and field), POST the
/// three documents as multipart. The sandbox KYC provider approves at submission (README, "Sandbox KYC rules"). Used
/// to approve the many buyers of the createGuidedPayment phase in seconds; each <c>customers kyc</c> command is a
/// process start of its own, which would make seeding the slowest part of the run.
/// </summary>
public static partial class KycForm
{
    // The smallest content each upload's sniffing accepts: a PNG signature (KycUpload checks content, not names).
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

    public static async Task SubmitAsync(Uri baseAddress, string kycFormUrl)
    {
        var path = new Uri(kycFormUrl).AbsolutePath;
        using var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var page = await browser.GetStringAsync(path + "?lang=en");
        var token = AntiforgeryField().Match(page);
        if (!token.Success)
        {
            throw new BenchFailedException($"No antiforgery field on the KYC form {path}.");
        }
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("yes"), "confirm" },
        };
        foreach (var kind in new[] { "document_front", "document_back", "selfie" })
        {
            var file = new ByteArrayContent(Png);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            form.Add(file, kind, kind + ".png");
        }
        using var response = await browser.PostAsync(path + "?lang=en", form);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found && (int)response.StatusCode != 303)
        {
            throw new BenchFailedException($"KYC form {path}: HTTP {(int)response.StatusCode}: {Http.Truncate(await response.Content.ReadAsStringAsync())}");
        }
    }

    /// <summary>ASP.NET Core's hidden antiforgery field as &lt;AntiforgeryToken /&gt; renders it (name, then value).</summary>
    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
