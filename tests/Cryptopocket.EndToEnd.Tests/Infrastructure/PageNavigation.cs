using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

public static class PageNavigation
{
    private const float DefaultTimeoutMs = 30_000;

    /// <summary>
    /// Waits until the page's URL matches <paramref name="url"/>, that is until the browser has committed the new
    /// document, by watching <see cref="IPage.Url"/>. Not <c>WaitForURLAsync</c>: when the URL already matches it waits
    /// for a load state (<c>load</c>, whatever <c>WaitUntil</c> says, since <c>Commit</c> has no load state), and CI
    /// timed out there three times with the page already shown and "networkidle" fired, which only follows
    /// <c>load</c>: its client had missed the event. Our pages have no scripts or sub-resources, and every step after a
    /// navigation is a locator action or an <c>Expect</c> that waits by itself. When the page does not get there, it
    /// fails with where the page is and what it shows instead of a bare timeout.
    /// </summary>
    public static Task WaitForPageAsync(this IPage page, Regex url, float? timeout = null) =>
        WaitOrExplainAsync(page, url.ToString(), url.IsMatch, timeout);

    /// <inheritdoc cref="WaitForPageAsync(IPage, Regex, float?)"/>
    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url, string described, float? timeout = null) =>
        WaitOrExplainAsync(page, described, url, timeout);

    private static async Task WaitOrExplainAsync(IPage page, string described, Func<string, bool> matches, float? timeout)
    {
        var waited = Stopwatch.StartNew();
        var limit = TimeSpan.FromMilliseconds(timeout ?? DefaultTimeoutMs);
        while (!matches(page.Url))
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException(
                    $"Expected a page matching {described} within {limit.TotalSeconds:0} s but the page is at {page.Url}, showing: {await ShownAsync(page)}");
            }
            await Task.Delay(50);
        }
    }

    private static async Task<string> ShownAsync(IPage page)
    {
        try
        {
            var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 });
            return shown[..Math.Min(600, shown.Length)];
        }
        catch (PlaywrightException exception)
        {
            return $"(no body: {exception.Message})";
        }
    }
}
