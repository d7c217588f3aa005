using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture fixture)
{
    // The page backs off up to 16 s between attempts by the time a restarted gateway is back.
    private static readonly LocatorAssertionsToContainTextOptions Reconnecting = new() { Timeout = 30_000 };

    [Fact]
    public async Task When_its_gateway_restarts_the_page_reconnects_by_itself_and_rejoins_its_rooms()
    {
        var room = Names.Unique("ops");
        var dana = Names.Unique("dana");
        var erin = Names.Unique("erin");
        await using var stays = await fixture.OpenAsync(0);
        await using var moves = await fixture.OpenAsync(1);
        await stays.SignInAsync(dana);
        await moves.SignInAsync(erin);
        await stays.JoinAsync(room);
        await moves.JoinAsync(room);
        await Expect(stays.RoomTimeline(room)).ToContainTextAsync($"{erin} joined");

        var gateway = fixture.Stack.Gateways[1];
        try
        {
            await gateway.StopAsync(TimeSpan.FromSeconds(20));

            // The drop is visible: the state in the top bar, a way to retry at once, a note in the room.
            await Expect(moves.ConnectionStatus).ToContainTextAsync("Offline: ");
            await Expect(moves.Button("Reconnect now")).ToBeVisibleAsync();
            await Expect(moves.RoomTimeline(room)).ToContainTextAsync("Disconnected (the gateway is shutting down)");
            await Expect(stays.RoomTimeline(room)).ToContainTextAsync($"{erin} left", new() { Timeout = 15_000 });
            await moves.ScreenshotAsync("reconnecting");

            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));

            await Expect(moves.ConnectionStatus).ToHaveTextAsync("Connected to gateway-2", new() { Timeout = Reconnecting.Timeout });
            await Expect(moves.RoomTimeline(room)).ToContainTextAsync($"Reconnected; you are back in #{room}.");
            await Expect(stays.RoomTimeline(room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"{erin} joined" })).ToHaveCountAsync(2);

            // Back in the room for real: messages flow both ways again.
            await stays.SendAsync("Welcome back.");
            await Expect(Message(moves.RoomTimeline(room), "Welcome back.")).ToContainTextAsync(dana);
            await moves.SendAsync("Thanks, I am back.");
            await Expect(Message(stays.RoomTimeline(room), "Thanks, I am back.")).ToContainTextAsync(erin);
            await moves.ScreenshotAsync("reconnected");
        }
        finally
        {
            if (!gateway.IsRunning)
            {
                gateway.Start();
                await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }
        }
    }
}
