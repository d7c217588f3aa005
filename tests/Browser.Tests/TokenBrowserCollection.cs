namespace ChatPlatform.Browser.Tests;

/// <summary>The browser tests against a gateway that takes tokens only.</summary>
[CollectionDefinition(Name)]
public sealed class TokenBrowserCollection : ICollectionFixture<TokenBrowserFixture>
{
    public const string Name = "browser with tokens";
}
