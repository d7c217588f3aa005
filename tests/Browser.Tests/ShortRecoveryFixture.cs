using ChatPlatform.Testing;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// A stack whose sessions can be resumed for 2 s only after their connection ends
/// (<c>Recovery:Window</c>), so a page that comes back later cannot recover what it missed;
/// one router, two gateways, and a browser.
/// </summary>
public sealed class ShortRecoveryFixture : BrowserFixture
{
    public static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(2);

    protected override Task<ChatStack> StartStackAsync(string name) =>
        ChatStack.StartAsync(name, routers: 1, gateways: 2, settings: new Dictionary<string, string?>
        {
            ["Recovery__Window"] = RecoveryWindow.ToString("c"),
        });
}

/// <summary>The browser tests against a stack with a short recovery window.</summary>
[CollectionDefinition(Name)]
public sealed class ShortRecoveryCollection : ICollectionFixture<ShortRecoveryFixture>
{
    public const string Name = "browser with a short recovery window";
}
