namespace ChatPlatform.Browser.Tests;

/// <summary>One stack and one browser for every browser test.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
