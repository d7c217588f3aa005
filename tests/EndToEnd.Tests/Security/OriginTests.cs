using System.Net;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>Which browser pages may open a connection, judged by the Origin of real upgrades.</summary>
[Collection(AuthStackCollection.Name)]
public sealed class OriginTests(AuthStackFixture fixture)
{
    [Fact]
    public async Task A_page_from_the_configured_origin_connects()
    {
        var user = Names.Unique("page");

        await using var client = await fixture.ConnectAsync(0, fixture.Tokens.Create(user), origin: AuthStackFixture.AllowedOrigin);

        Assert.Equal(user, client.User);
    }

    [Fact]
    public async Task A_page_served_by_the_gateway_itself_connects()
    {
        var user = Names.Unique("own");
        var ownOrigin = $"http://127.0.0.1:{fixture.Stack.Gateways[1].Port}";

        await using var client = await fixture.ConnectAsync(1, fixture.Tokens.Create(user), origin: ownOrigin);

        Assert.Equal(user, client.User);
    }

    [Fact]
    public async Task A_client_that_is_not_a_browser_sends_no_origin_and_connects_with_its_token()
    {
        await using var client = await fixture.ConnectAsync(0, fixture.Tokens.Create(Names.Unique("service")));

        Assert.Equal("gateway-1", client.Gateway);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://chat.example.evil.example")]
    [InlineData("http://chat.example:8080")]
    [InlineData("null")]
    public async Task A_page_from_another_origin_is_refused_with_403_even_with_a_valid_token(string origin)
    {
        var token = fixture.Tokens.Create(Names.Unique("victim"), roles: ["admin"]);

        var (status, _, body) = await UpgradeRefusal.ResponseAsync(
            fixture.GatewayUri(0),
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}", ["Origin"] = origin });
        var inQuery = await UpgradeRefusal.StatusAsync(
            fixture.GatewayUri(1, $"?access_token={token}"),
            options => options.SetRequestHeader("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("this origin may not open connections", body.Trim());
        Assert.Equal(HttpStatusCode.Forbidden, inQuery);
    }

    [Fact]
    public async Task A_page_served_by_one_gateway_may_not_connect_to_another_unless_its_origin_is_configured()
    {
        var otherGatewaysOrigin = $"http://127.0.0.1:{fixture.Stack.Gateways[0].Port}";

        var status = await UpgradeRefusal.StatusAsync(
            fixture.GatewayUri(1),
            options =>
            {
                options.SetRequestHeader("Authorization", $"Bearer {fixture.Tokens.Create(Names.Unique("cross"))}");
                options.SetRequestHeader("Origin", otherGatewaysOrigin);
            });

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
