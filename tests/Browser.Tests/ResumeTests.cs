using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static ChatPlatform.Browser.Tests.HistoryTests;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

/// <summary>A page whose connection ended resumes it: back in its rooms without joining them, with what was sent meanwhile, once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeTests(BrowserFixture fixture)
{
    // The page backs off up to 16 s between attempts by the time a restarted gateway is back.
    private static readonly LocatorAssertionsToHaveTextOptions Reconnecting = new() { Timeout = 30_000 };

    [Fact]
    public async Task When_its_gateway_is_killed_the_page_resumes_and_shows_what_was_sent_meanwhile_exactly_once()
    {
        var room = Names.Unique("ops");
        var jo = Names.Unique("jo");
        var kim = Names.Unique("kim");
        await using var sender = await fixture.Stack.ConnectAsync(0, kim, ignoredTypes: ["joined", "left"]);
        await JoinAsync(sender, room);
        await using var page = await fixture.OpenAsync(1);
        await page.SignInAsync(jo);
        await page.JoinAsync(room);
        var timeline = page.RoomTimeline(room);
        AssertStored(await sender.SendAndWaitAsync(new { room }, "Said before the drop"));
        await Expect(Message(timeline, "Said before the drop")).ToHaveCountAsync(1);

        var gateway = fixture.Stack.Gateways[1];
        try
        {
            await gateway.KillAsync();
            await Expect(page.ConnectionStatus).ToContainTextAsync("Offline: ");
            await Expect(timeline).ToContainTextAsync("Disconnected (the connection dropped)");

            // Sent while the page is away: to the room, and to jo directly.
            var meanwhile = Enumerable.Range(1, 3).Select(i => $"Said while jo was away, {i} of 3").ToList();
            foreach (var text in meanwhile)
            {
                AssertStored(await sender.SendAndWaitAsync(new { room }, text));
            }

            AssertStored(await sender.SendAndWaitAsync(new { user = jo }, "A direct word while you were away"));

            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Expect(page.ConnectionStatus).ToHaveTextAsync("Connected to gateway-2", Reconnecting);

            // The page asked to resume its session from the last message it got in the room.
            var resumed = page.Sockets[^1];
            var query = Uri.UnescapeDataString(resumed.Query);
            Assert.Contains("resume=", query);
            Assert.Matches($@"[?&]since=room:{room}:\d+(&|$)", query);

            // Back in the room without joining it again, with what was said meanwhile, in order, once.
            await Expect(timeline).ToContainTextAsync($"Reconnected; you are back in #{room}.");
            var recovered = Assert.Single(page.FramesReceived(page.Sockets.Count - 1, "recovered"));
            Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
            Assert.True(recovered.GetProperty("complete").GetBoolean(), $"not complete: {recovered}");
            foreach (var text in meanwhile)
            {
                await Expect(Message(timeline, text)).ToHaveCountAsync(1);
                await Expect(Message(timeline, text)).ToContainTextAsync("sent while you were away");
            }

            AssertInOrder(await EntriesAsync(timeline), ["Said before the drop", "Disconnected (", .. meanwhile]);
            Assert.DoesNotContain(page.FramesSent(page.Sockets.Count - 1), frame => frame.Contains("\"join\"", StringComparison.Ordinal));
            await Expect(timeline).Not.ToContainTextAsync("Some messages may be missing");

            // The direct message too, once, counted as unread.
            var withKim = page.Conversations.GetByRole(AriaRole.Button, new() { Name = kim });
            await Expect(withKim).ToHaveAccessibleNameAsync($"{kim} 1 unread");
            await page.ScreenshotAsync("resumed");
            await withKim.ClickAsync();
            await Expect(Message(page.DirectTimeline(kim), "A direct word while you were away")).ToHaveCountAsync(1);

            // Live again; and nothing from before arrived twice meanwhile.
            await page.Conversations.GetByRole(AriaRole.Button, new() { Name = room }).ClickAsync();
            AssertStored(await sender.SendAndWaitAsync(new { room }, "Back to normal"));
            await Expect(Message(timeline, "Back to normal")).ToHaveCountAsync(1);
            AssertInOrder(await EntriesAsync(timeline), ["Said before the drop", .. meanwhile, "Back to normal"]);
            await page.SendAsync("Thanks, I am back.");
            await sender.ExpectAsync(
                frame => frame.GetProperty("type").GetString() == "message" && frame.GetProperty("body").GetProperty("text").GetString() == "Thanks, I am back.",
                "jo's message in the room");
            // The browser reports each attempt made while the gateway was down; nothing else went wrong.
            Assert.All(page.ConsoleErrors, error => Assert.StartsWith("WebSocket connection to ", error));
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

    [Fact]
    public async Task After_a_reload_signing_in_again_puts_the_page_back_in_its_rooms_with_what_was_said_meanwhile()
    {
        var room = Names.Unique("desk");
        var lee = Names.Unique("lee");
        var mia = Names.Unique("mia");
        await using var sender = await fixture.Stack.ConnectAsync(1, mia, ignoredTypes: ["joined", "left"]);
        await JoinAsync(sender, room);
        await using var page = await fixture.OpenAsync(0);
        await page.SignInAsync(lee);
        await page.JoinAsync(room);
        AssertStored(await sender.SendAndWaitAsync(new { room }, "Said before the reload"));
        await Expect(Message(page.RoomTimeline(room), "Said before the reload")).ToHaveCountAsync(1);

        await page.Page.ReloadAsync();
        await Expect(page.Button("Sign in")).ToBeVisibleAsync();
        AssertStored(await sender.SendAndWaitAsync(new { room }, "Said during the reload"));
        await page.SignInAsync(lee);

        // The room is back (the gateway restored it: the page sent no join), with the message it missed as unread.
        Assert.Contains("resume=", page.Sockets[^1].Query);
        var roomButton = page.Conversations.GetByRole(AriaRole.Button, new() { Name = room });
        await Expect(roomButton).ToHaveAccessibleNameAsync($"{room} 1 unread");
        await roomButton.ClickAsync();

        // Opened, it reads its history: what was said before the reload above, nothing twice.
        var timeline = page.RoomTimeline(room);
        await Expect(Message(timeline, "Said before the reload")).ToHaveCountAsync(1);
        var recovered = Assert.Single(page.FramesReceived(page.Sockets.Count - 1, "recovered"));
        Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
        AssertInOrder(await EntriesAsync(timeline), ["Said before the reload", "Said during the reload"]);
        await Expect(page.Members).ToHaveAccessibleNameAsync("Online (2)");
        Assert.DoesNotContain(page.FramesSent(page.Sockets.Count - 1), frame => frame.Contains("\"join\"", StringComparison.Ordinal));
        Assert.Empty(page.ConsoleErrors);
    }
}
