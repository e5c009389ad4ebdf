using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

public static class PageNavigation
{
    /// <summary>
    /// Waits for the page to reach <paramref name="url"/>; when it does not, fails with where the page is and what it
    /// shows instead of a bare timeout: a form sent back with an error, a redirect to the status page and a server
    /// that never answered look the same as a timeout otherwise (a rare CI failure of the PSD2 test is such a case).
    /// </summary>
    public static async Task WaitForUrlOrExplainAsync(this IPage page, Regex url)
    {
        try
        {
            await page.WaitForURLAsync(url);
        }
        catch (TimeoutException timeout)
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
                $"Expected a page matching {url} but the page is at {page.Url}, showing: {shown[..Math.Min(600, shown.Length)]}", timeout);
        }
    }
}
