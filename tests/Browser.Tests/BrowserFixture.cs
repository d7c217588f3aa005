using ChatPlatform.Testing;
using Microsoft.Playwright;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// A <see cref="ChatStack"/> (presence, two routers, two gateways as real processes) that lets
/// development users in, and one headless <see cref="Chromium"/>.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    /// <summary>The bound on every Playwright action and assertion.</summary>
    public const float Timeout = 10_000;

    private const int MaxLoads = 3;

    private IPlaywright? _playwright;

    public ChatStack Stack { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go, under the test output folder, for a person to look at.</summary>
    public static string ScreenshotDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(Repository.ArtifactsDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Chromium.EnsureInstalled();
        Assertions.SetDefaultExpectTimeout(Timeout);
        var stack = StartStackAsync($"web-{Guid.NewGuid():N}"[..12]);
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
            Stack = await stack;
        }
        catch
        {
            await DisposeAsync();
            try
            {
                // A stack that started after all is stopped; one that failed stopped itself.
                await (await stack).DisposeAsync();
            }
            catch
            {
                // The first failure is the one to report.
            }

            throw;
        }
    }

    /// <summary>The stack the pages are served by; by default one that allows development users.</summary>
    protected virtual Task<ChatStack> StartStackAsync(string name) => ChatStack.StartAsync(name);

    /// <summary>
    /// A fresh browser context (its own storage) with the page of gateway <paramref name="gateway"/> open.
    /// A network interface coming or going on this machine (a Docker network, say) makes Chromium
    /// fail the requests in flight with <c>net::ERR_NETWORK_CHANGED</c>, which can leave the page
    /// without one of its files; such a load is made again in a fresh context, a few times at most.
    /// </summary>
    public async Task<ChatPage> OpenAsync(int gateway, int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light)
    {
        for (var attempt = 1; ; attempt++)
        {
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height },
                ColorScheme = colorScheme,
                ReducedMotion = ReducedMotion.Reduce,
                Locale = "en-US",
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(Timeout);
            context.SetDefaultNavigationTimeout(Timeout);
            var page = await context.NewPageAsync();
            var chatPage = new ChatPage(context, page, Stack.Gateways[gateway].BaseAddress);
            var networkChanged = false;
            page.RequestFailed += (_, request) => networkChanged |= request.Failure?.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal) == true;
            await page.GotoAsync(Stack.Gateways[gateway].BaseAddress.ToString());
            if (!networkChanged || attempt == MaxLoads)
            {
                return chatPage;
            }

            await chatPage.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is { } browser)
        {
            Browser = null!;
            await browser.CloseAsync();
        }

        _playwright?.Dispose();
        _playwright = null;
        if (Stack is { } stack)
        {
            Stack = null!;
            await stack.DisposeAsync();
        }
    }
}
