using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatPlatform.EndToEnd.Tests.Security;

namespace ChatPlatform.EndToEnd.Tests.Api;

/// <summary>On a stack that takes user tokens on its WebSocket, none of them opens the server API.</summary>
[Collection(AuthStackCollection.Name)]
public sealed class ServerApiAuthenticationTests(AuthStackFixture fixture)
{
    [Fact]
    public async Task A_users_token_even_an_admins_gets_401_and_nothing_more()
    {
        using var api = fixture.Stack.ApiClient(0, apiKey: null);
        foreach (var token in new[] { fixture.Tokens.Create("alice"), fixture.Tokens.Create("root", roles: ["admin"]) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/publish")
            {
                Content = JsonContent.Create(new { to = new { everyone = true }, from = "billing", body = "x" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var response = await api.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }

        var withKey = await fixture.Stack.ApiClient(0).GetAsync("api/v1/users/alice/presence");
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }
}
