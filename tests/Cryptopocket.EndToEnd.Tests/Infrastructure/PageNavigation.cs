using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

public static class PageNavigation
{
    /// <summary>
    /// Waits for the page to reach <paramref name="url"/>: until the browser has the new document's response, not until
    /// its <c>load</c> event. CI twice timed out waiting for <c>load</c> with the page already there (the log shows
    /// "networkidle" fired, which only follows <c>load</c>): the client missed the event. Our pages have no scripts or
    /// sub-resources, and every step after a navigation is a locator action or an <c>Expect</c> that waits by itself.
    /// When the page does not get there, it fails with where the page is and what it shows instead of a bare timeout.
    /// </summary>
    public static Task WaitForPageAsync(this IPage page, Regex url, float? timeout = null) =>
        WaitOrExplainAsync(page, url.ToString(), options => page.WaitForURLAsync(url, options), timeout);

    /// <inheritdoc cref="WaitForPageAsync(IPage, Regex, float?)"/>
    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url, string described, float? timeout = null) =>
        WaitOrExplainAsync(page, described, options => page.WaitForURLAsync(url, options), timeout);

    private static async Task WaitOrExplainAsync(IPage page, string described, Func<PageWaitForURLOptions, Task> wait, float? timeout)
    {
        try
        {
            await wait(new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        }
        catch (TimeoutException timedOut)
        {
            string shown;
            try
            {
                shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 });
            }
            catch (PlaywrightException exception)
            {
                shown = $"(no body: {exception.Message})";
            }
            throw new TimeoutException(
                $"Expected a page matching {described} but the page is at {page.Url}, showing: {shown[..Math.Min(600, shown.Length)]}", timedOut);
        }
    }
}
