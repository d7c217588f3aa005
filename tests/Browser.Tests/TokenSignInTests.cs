using System.Net;
using System.Text.Json;
using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

[Collection(TokenBrowserCollection.Name)]
public sealed class TokenSignInTests(TokenBrowserFixture fixture)
{
    private static readonly TimeSpan LongLived = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_gateway_that_takes_tokens_only_gets_one_in_the_access_token_parameter_and_its_refusals_are_shown_plainly()
    {
        var ivy = Names.Unique("ivy") + "@example.com";
        var gateway = fixture.Stack.Gateways[0];

        // The gateway says how it lets clients in, and the page offers only that.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            using var response = await http.GetAsync(new Uri(gateway.BaseAddress, "auth-mode"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, "the answer is never cached");
            using var mode = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(mode.RootElement.GetProperty("developmentUsers").GetBoolean());
            Assert.True(mode.RootElement.GetProperty("tokens").GetBoolean());
        }

        await using var page = await fixture.OpenAsync(0);
        await Expect(page.Page.GetByRole(AriaRole.Group, new() { Name = "Sign in with" })).ToContainTextAsync("This gateway needs an access token.");
        await Expect(page.Page.GetByRole(AriaRole.Radio, new() { Name = "A name" })).ToBeDisabledAsync();
        await Expect(page.Page.GetByRole(AriaRole.Radio, new() { Name = "An access token" })).ToBeCheckedAsync();
        await Expect(page.Page.GetByLabel("Your name")).ToBeHiddenAsync();
        await Accessibility.AssertLabelledAsync(page.Page);
        await Accessibility.AssertContrastAsync(page.Page, "sign in, tokens only");

        // A token the gateway's key did not sign: refused, and said so in words.
        var signInError = page.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "access token" });
        await page.EnterTokenAsync(TokenBrowserFixture.ForgedTokens.Create(ivy, LongLived));
        await Expect(signInError).ToContainTextAsync("The gateway did not accept the access token");
        await Expect(page.ConnectionStatus).ToHaveTextAsync("Not connected");
        Assert.Single(page.Sockets);
        await page.ScreenshotAsync("token-refused");

        // An expired token is caught before any connection is tried.
        await page.EnterTokenAsync(fixture.Tokens.CreateExpired(ivy));
        await Expect(signInError).ToContainTextAsync("This access token expired at");
        Assert.Single(page.Sockets);

        // A good token: connected as its subject, the token in access_token and no user name.
        await page.SignInWithTokenAsync(fixture.Tokens.Create(ivy, LongLived, rooms: ["private:staff"]), ivy);
        await Expect(page.ConnectionStatus).ToHaveTextAsync("Connected to gateway-1");
        var socket = page.Sockets[^1];
        Assert.Equal("/ws", socket.AbsolutePath);
        Assert.StartsWith("?access_token=ey", socket.Query);
        Assert.DoesNotContain("user=", socket.Query);
        await Expect(page.Page.GetByLabel("Access token", new() { Exact = true })).ToHaveValueAsync("");

        // The private room the token lists opens; another one is refused next to the join form.
        await page.JoinAsync("private:staff");
        await page.SendAsync("Only staff can read this.");
        await Expect(Message(page.RoomTimeline("private:staff"), "Only staff can read this.")).ToContainTextAsync("Sent; no one else is in the room");
        await page.Page.GetByLabel("Room name").FillAsync("private:board");
        await page.Button("Join").ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Alert).Filter(new() { HasText = "forbidden" }))
            .ToHaveTextAsync("Not allowed (forbidden): room private:board is private; it needs a token that lists it");
        await Expect(page.Page.GetByLabel("Room name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.ScreenshotAsync("token-forbidden");

        Assert.All(page.ConsoleErrors, error => Assert.True(IsRefusedUpgrade(error), error));
    }

    [Fact]
    public async Task When_the_token_expires_the_page_stops_and_asks_for_a_fresh_one_then_rejoins_its_rooms_with_it()
    {
        const string room = "private:ops";
        var kim = Names.Unique("kim");
        var lee = Names.Unique("lee");
        await using var stays = await fixture.OpenAsync(0);
        await using var expires = await fixture.OpenAsync(0);
        await stays.SignInWithTokenAsync(fixture.Tokens.Create(lee, LongLived, rooms: [room]), lee);
        await stays.JoinAsync(room);

        // Long enough to sign in and join on a busy machine; the gateway closes the connection at exp.
        await expires.SignInWithTokenAsync(fixture.Tokens.Create(kim, TimeSpan.FromSeconds(12), rooms: [room]), kim);
        await expires.JoinAsync(room);
        await Expect(stays.RoomTimeline(room)).ToContainTextAsync($"{kim} joined");

        var renew = expires.Page.GetByRole(AriaRole.Region, new() { Name = "Your access token expired" });
        var afterExpiry = new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 };
        await Expect(renew).ToBeVisibleAsync(afterExpiry);
        await Expect(expires.ConnectionStatus).ToHaveTextAsync("Token expired: paste a fresh token to reconnect");
        await Expect(expires.RoomTimeline(room)).ToContainTextAsync("Disconnected: your access token expired.");
        await Expect(expires.Page.GetByLabel("Fresh access token")).ToBeFocusedAsync();
        await Expect(expires.Button("Reconnect now")).ToBeHiddenAsync();
        await Expect(stays.RoomTimeline(room)).ToContainTextAsync($"{kim} left");

        // No retries with the stale token: the page opens no socket until it has a fresh one.
        var socketsAtExpiry = expires.Sockets.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(socketsAtExpiry, expires.Sockets.Count);
        await expires.MessageBox.FillAsync("Still there?");
        await expires.Button("Send").ClickAsync();
        await Expect(expires.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not_connected" }))
            .ToContainTextAsync("your access token expired; paste a fresh one above to reconnect");
        await expires.ScreenshotAsync("token-expired");
        await Accessibility.AssertLabelledAsync(expires.Page);
        await Accessibility.AssertContrastAsync(expires.Page, "token expired, light");
        await expires.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Accessibility.AssertContrastAsync(expires.Page, "token expired, dark");
        await expires.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        // A fresh token that is expired too is caught; a good one reconnects and rejoins.
        var fresh = expires.Page.GetByLabel("Fresh access token");
        await fresh.FillAsync(fixture.Tokens.CreateExpired(kim));
        await expires.Button("Reconnect").ClickAsync();
        await Expect(renew.GetByRole(AriaRole.Alert)).ToContainTextAsync("too. Get a fresh one.");
        Assert.Equal(socketsAtExpiry, expires.Sockets.Count);
        await fresh.FillAsync(fixture.Tokens.Create(kim, LongLived, rooms: [room]));
        await expires.Button("Reconnect").ClickAsync();
        await Expect(expires.ConnectionStatus).ToHaveTextAsync("Connected to gateway-1");
        await Expect(renew).ToBeHiddenAsync();
        await Expect(expires.RoomTimeline(room)).ToContainTextAsync($"Reconnected; you are back in #{room}.");
        await Expect(stays.RoomTimeline(room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"{kim} joined" })).ToHaveCountAsync(2);

        await expires.SendAsync("Back with a fresh token.");
        await Expect(Message(stays.RoomTimeline(room), "Back with a fresh token.")).ToContainTextAsync(kim);
        Assert.Empty(expires.ConsoleErrors);
        Assert.Empty(stays.ConsoleErrors);
    }

    // Chromium logs a refused upgrade to the console; that refusal is what the test provokes.
    private static bool IsRefusedUpgrade(string error) =>
        error.Contains("WebSocket connection to", StringComparison.Ordinal) && error.Contains("/ws?access_token=", StringComparison.Ordinal);
}
