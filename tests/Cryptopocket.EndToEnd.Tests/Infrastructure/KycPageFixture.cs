using Microsoft.Playwright;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A sandbox server, a partner client authenticated with the sandbox credentials, the partner's return page, and
/// Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class KycPageFixture : SandboxServerFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private CallbackReceiver? _callback;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");
    public CallbackReceiver Callback => _callback ?? throw new InvalidOperationException("Not started.");

    /// <summary>Screenshots go under the test assembly's output folder, never into the source tree.</summary>
    public static string OutputFolder =>
        Environment.GetEnvironmentVariable("CRYPTOPOCKET_E2E_OUTPUT") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "e2e-output");

    public override async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"{ChromiumPath} is missing: install Debian's Chromium (apt-get install chromium fonts-liberation; scripts/test.sh does).");
        await base.InitializeAsync();
        _callback = CallbackReceiver.Start();
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 30_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_callback is not null)
        {
            await _callback.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser context the size of a phone (390×844), in the language given.</summary>
    public async Task<IBrowserContext> NewPhoneContextAsync(string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
            Locale = locale,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }
}
