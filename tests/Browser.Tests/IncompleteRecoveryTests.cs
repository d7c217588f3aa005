using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static ChatPlatform.Browser.Tests.HistoryTests;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

/// <summary>A page that comes back too late to recover everything it missed says so, and reads its room again.</summary>
[Collection(ShortRecoveryCollection.Name)]
public sealed class IncompleteRecoveryTests(ShortRecoveryFixture fixture)
{
    [Fact]
    public async Task When_the_session_expired_the_page_says_some_messages_may_be_missing_joins_again_and_reads_the_room_again()
    {
        var room = Names.Unique("late");
        var nia = Names.Unique("nia");
        var oz = Names.Unique("oz");
        await using var sender = await fixture.Stack.ConnectAsync(0, oz, ignoredTypes: ["joined", "left"]);
        await JoinAsync(sender, room);
        await using var page = await fixture.OpenAsync(1);
        await page.SignInAsync(nia);
        await page.JoinAsync(room);
        var timeline = page.RoomTimeline(room);
        AssertStored(await sender.SendAndWaitAsync(new { room }, "Said before the gap"));
        await Expect(Message(timeline, "Said before the gap")).ToHaveCountAsync(1);

        var gateway = fixture.Stack.Gateways[1];
        try
        {
            await gateway.StopAsync(TimeSpan.FromSeconds(20));
            await Expect(page.ConnectionStatus).ToContainTextAsync("Offline: ");
            AssertStored(await sender.SendAndWaitAsync(new { room }, "Said during the gap"));

            // Back well after the session's recovery window.
            await Task.Delay(ShortRecoveryFixture.RecoveryWindow * 2);
            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Expect(page.ConnectionStatus).ToHaveTextAsync("Connected to gateway-2", new() { Timeout = 30_000 });

            // The gateway could not resume the session: the page says so in the conversation, joins
            // the room again, and reads it again, which brings what was said during the gap, once.
            Assert.Contains("resume=", page.Sockets[^1].Query);
            await Expect(timeline).ToContainTextAsync("Some messages may be missing");
            var recovered = Assert.Single(page.FramesReceived(page.Sockets.Count - 1, "recovered"));
            Assert.False(recovered.GetProperty("complete").GetBoolean(), $"complete: {recovered}");
            Assert.Empty(recovered.GetProperty("rooms").EnumerateArray());
            await Expect(timeline).ToContainTextAsync($"Reconnected; you are back in #{room}.");
            await Expect(Message(timeline, "Said during the gap")).ToHaveCountAsync(1);
            await Expect(Message(timeline, "Said before the gap")).ToHaveCountAsync(1);
            AssertInOrder(await EntriesAsync(timeline), ["Said before the gap", "Said during the gap"]);
            Assert.Contains(page.FramesSent(page.Sockets.Count - 1), frame => frame.Contains("\"join\"", StringComparison.Ordinal));
            await page.ScreenshotAsync("incomplete-recovery");

            // The notice is a note in the timeline, as readable as the rest.
            await Accessibility.AssertContrastAsync(page.Page, "a room whose recovery was incomplete");
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
}
