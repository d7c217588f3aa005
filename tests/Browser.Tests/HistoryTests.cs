using System.Text.Json;
using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

/// <summary>What the page reads from history: a room's last messages when it is opened, older ones on request, and the direct messages sent to the user.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Opening_a_room_shows_its_last_messages_above_live_ones_and_older_ones_on_request()
    {
        var room = Names.Unique("archive");
        var fran = Names.Unique("fran");
        var gus = Names.Unique("gus");
        await using var poster = await fixture.Stack.ConnectAsync(0, fran, ignoredTypes: ["joined", "left"]);
        await JoinAsync(poster, room);
        var said = Enumerable.Range(1, 55).Select(i => $"History message {i:D2}").ToList();
        foreach (var (text, i) in said.Select((text, i) => (text, i)))
        {
            // Within the rate limit (bursts of 50, then 20 a second): past 40 frames, one every 60 ms.
            if (i >= 40)
            {
                await Task.Delay(60);
            }

            AssertStored(await poster.SendAndWaitAsync(new { room }, text));
        }

        await using var page = await fixture.OpenAsync(1);
        await page.SignInAsync(gus);
        await page.JoinAsync(room);

        // The last 50, oldest first, above the note that gus joined; nothing older yet.
        var timeline = page.RoomTimeline(room);
        await Expect(Message(timeline, said[^1])).ToHaveCountAsync(1);
        await Expect(Message(timeline, said[5])).ToHaveCountAsync(1);
        await Expect(Message(timeline, said[4])).ToHaveCountAsync(0);
        AssertInOrder(await EntriesAsync(timeline), [.. said[5..], $"You joined #{room}."]);
        await Expect(Message(timeline, said[^1])).ToContainTextAsync(fran);

        // A live message goes below them, once.
        AssertStored(await poster.SendAndWaitAsync(new { room }, "Live after the history"));
        await Expect(Message(timeline, "Live after the history")).ToHaveCountAsync(1);

        // The older ones, on request, above the others; then there are no more.
        var loadOlder = page.Button("Load older messages");
        await Expect(loadOlder).ToBeVisibleAsync();
        await page.ScreenshotAsync("history-room");
        await loadOlder.ClickAsync();
        await Expect(Message(timeline, said[0])).ToHaveCountAsync(1);
        await Expect(loadOlder).ToBeHiddenAsync();
        AssertInOrder(await EntriesAsync(timeline), [.. said, $"You joined #{room}.", "Live after the history"]);

        await Accessibility.AssertLabelledAsync(page.Page);
        await Accessibility.AssertContrastAsync(page.Page, "a room with its history");
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task Signing_in_shows_the_direct_messages_others_sent_the_user_each_once()
    {
        var hal = Names.Unique("hal");
        var ivy = Names.Unique("ivy");

        // ivy is connected elsewhere, so messages to her are delivered and stored.
        await using var ivyElsewhere = await fixture.Stack.ConnectAsync(0, ivy);
        await using var sender = await fixture.Stack.ConnectAsync(0, hal);
        AssertStored(await sender.SendAndWaitAsync(new { user = ivy }, "Are we still on for Friday?"));
        AssertStored(await sender.SendAndWaitAsync(new { user = ivy }, "I can bring the slides."));

        await using var page = await fixture.OpenAsync(1);
        await page.SignInAsync(ivy);

        // A conversation with hal, read from history: not unread, since the page cannot know ivy did not read it elsewhere.
        var withHal = page.Conversations.GetByRole(AriaRole.Button, new() { Name = hal, Exact = true });
        await Expect(withHal).ToBeVisibleAsync();
        await withHal.ClickAsync();
        var timeline = page.DirectTimeline(hal);
        await Expect(Message(timeline, "I can bring the slides.")).ToHaveCountAsync(1);
        AssertInOrder(await EntriesAsync(timeline), ["Are we still on for Friday?", "I can bring the slides."]);

        // A live one after them, once, and the earlier ones still once.
        AssertStored(await sender.SendAndWaitAsync(new { user = ivy }, "See you there."));
        await Expect(Message(timeline, "See you there.")).ToHaveCountAsync(1);
        AssertInOrder(await EntriesAsync(timeline), ["Are we still on for Friday?", "I can bring the slides.", "See you there."]);
        Assert.Empty(page.ConsoleErrors);
    }

    internal static async Task JoinAsync(TestClient client, string room)
    {
        await client.SendAsync(new { type = "join", id = "join", room });
        var answer = await client.ReplyToAsync("join");
        Assert.Equal("ack", answer.GetProperty("type").GetString());
    }

    /// <summary>The answer is an ack that says the message is in its stream's history.</summary>
    internal static void AssertStored(JsonElement answer)
    {
        Assert.True(answer.GetProperty("type").GetString() == "ack", $"not acked: {answer}");
        Assert.True(answer.TryGetProperty("stored", out var stored) && stored.ValueKind == JsonValueKind.True, $"not stored: {answer}");
    }
}
