using ChatPlatform.Gateway.Api;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Api;

public sealed class ApiKeysTests
{
    private const string Billing = "billing-key-0123456789abcdefghijklmnop";
    private const string Moderation = "moderation-key-0123456789abcdefghijklm";

    private readonly MutableOptions _options = new(new ApiOptions
    {
        Keys = new(StringComparer.Ordinal) { ["billing"] = Billing, ["moderation"] = Moderation, ["unset"] = "" },
    });

    [Fact]
    public void A_configured_key_in_a_bearer_header_names_its_key()
    {
        var keys = new ApiKeys(_options);

        Assert.Equal("billing", keys.Authenticate($"Bearer {Billing}"));
        Assert.Equal("moderation", keys.Authenticate($"bearer {Moderation}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic YmlsbGluZzprZXk=")]
    [InlineData(Billing)]
    [InlineData("Bearer billing-key-0123456789abcdefghijklmnoX")]
    [InlineData("Bearer billing-key-0123456789abcdefghijklmno")]
    public void Anything_else_names_no_key_and_an_empty_configured_key_never_matches(string? authorization)
    {
        Assert.Null(new ApiKeys(_options).Authenticate(authorization));
    }

    [Fact]
    public void A_key_added_or_removed_in_the_configuration_applies_to_the_next_request()
    {
        var keys = new ApiKeys(_options);
        const string Rotated = "billing-2-key-0123456789abcdefghijklmnop";

        _options.Value = new ApiOptions { Keys = new(StringComparer.Ordinal) { ["billing"] = Billing, ["billing-2"] = Rotated } };
        Assert.Equal(("billing", "billing-2"), (keys.Authenticate($"Bearer {Billing}"), keys.Authenticate($"Bearer {Rotated}")));

        _options.Value = new ApiOptions { Keys = new(StringComparer.Ordinal) { ["billing-2"] = Rotated } };
        Assert.Equal((null, "billing-2"), (keys.Authenticate($"Bearer {Billing}"), keys.Authenticate($"Bearer {Rotated}")));
    }

    private sealed class MutableOptions(ApiOptions value) : IOptionsMonitor<ApiOptions>
    {
        public ApiOptions Value { get; set; } = value;

        public ApiOptions CurrentValue => Value;

        public ApiOptions Get(string? name) => Value;

        public IDisposable? OnChange(Action<ApiOptions, string?> listener) => null;
    }
}
