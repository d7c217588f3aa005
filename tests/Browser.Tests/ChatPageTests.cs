using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ChatPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Two_people_on_different_gateways_chat_in_a_room_and_directly_and_see_each_error_next_to_its_cause()
    {
        // Plain names, for screenshots a person can read; no other test uses them.
        const string room = "lobby";
        await using var alice = await fixture.OpenAsync(0);
        await using var bob = await fixture.OpenAsync(1);

        // This stack takes names only, and the page offers only that.
        await Expect(alice.Page.GetByRole(AriaRole.Group, new() { Name = "Sign in with" })).ToContainTextAsync("This gateway accepts names only");
        await Expect(alice.Page.GetByRole(AriaRole.Radio, new() { Name = "An access token" })).ToBeDisabledAsync();

        await alice.SignInAsync("alice");
        await bob.SignInAsync("bob");
        await Expect(alice.ConnectionStatus).ToHaveTextAsync("Connected to gateway-1");
        await Expect(bob.ConnectionStatus).ToHaveTextAsync("Connected to gateway-2");

        // Each page talks to the gateway that served it, with the name in ?user=.
        Assert.NotEqual(alice.Address.Port, bob.Address.Port);
        foreach (var page in new[] { alice, bob })
        {
            var socket = Assert.Single(page.Sockets);
            Assert.Equal((page.Address.Host, page.Address.Port, "/ws"), (socket.Host, socket.Port, socket.AbsolutePath));
            Assert.StartsWith("?user=", socket.Query);
        }

        // Both join; alice sees bob join, and bob finds alice in the room's online list.
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await Expect(alice.RoomTimeline(room)).ToContainTextAsync("bob joined");
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Members).ToHaveAccessibleNameAsync("Online (2)");
            await Expect(page.Members.GetByRole(AriaRole.Listitem)).ToContainTextAsync(["alice", "bob"]);
        }

        // Room messages both ways, across the two gateways.
        await alice.SendAsync("Hi bob, welcome to the lobby.");
        await Expect(Message(bob.RoomTimeline(room), "Hi bob, welcome to the lobby.")).ToContainTextAsync("alice");
        await Expect(Message(alice.RoomTimeline(room), "Hi bob, welcome to the lobby.")).ToContainTextAsync("Sent to 1 connection");
        await bob.SendAsync("Thanks alice! Glad to be here.");
        await Expect(Message(alice.RoomTimeline(room), "Thanks alice! Glad to be here.")).ToContainTextAsync("bob");
        await alice.SendAsync("The release notes are in the docs folder.\nShout if anything is unclear.");
        await Expect(bob.RoomTimeline(room)).ToContainTextAsync("Shout if anything is unclear.");
        await alice.ScreenshotAsync("alice-room");
        await bob.ScreenshotAsync("bob-room");

        // A direct message. Its text is shown as written, never read as markup.
        const string direct = "Could you look at <b>issue 42</b> & <img src=x onerror=alert(1)> today?";
        await alice.OpenDirectAsync("bob");
        await Expect(alice.Page.GetByText("Direct messages · online on 1 connection")).ToBeVisibleAsync();
        await alice.SendAsync(direct);
        var fromAlice = bob.Conversations.GetByRole(AriaRole.Button, new() { Name = "alice" });
        await Expect(fromAlice).ToHaveAccessibleNameAsync("alice 1 unread");
        await fromAlice.ClickAsync();
        await Expect(bob.DirectTimeline("alice")).ToContainTextAsync(direct);
        await Expect(bob.DirectTimeline("alice").Locator("b, img")).ToHaveCountAsync(0);
        await bob.SendAsync("Sure, after lunch.");
        await Expect(alice.DirectTimeline("bob")).ToContainTextAsync("Sure, after lunch.");
        await bob.ScreenshotAsync("bob-direct");

        // Back in the room, its history is still there (this view is the README's screenshot).
        await alice.Conversations.GetByRole(AriaRole.Button, new() { Name = room }).ClickAsync();
        await Expect(alice.RoomTimeline(room)).ToContainTextAsync("Hi bob, welcome to the lobby.");
        await Expect(alice.Conversations.GetByRole(AriaRole.Button, new() { Name = "bob" })).ToBeVisibleAsync();
        await alice.ScreenshotAsync("chat-page");

        // bob leaves; alice sees it in the timeline and the online list.
        await bob.Conversations.GetByRole(AriaRole.Button, new() { Name = room }).ClickAsync();
        await bob.Button("Leave room").ClickAsync();
        await Expect(bob.RoomTimeline(room)).ToContainTextAsync($"You left #{room}.");
        await Expect(bob.Conversations.GetByRole(AriaRole.Button, new() { Name = room })).ToHaveAccessibleNameAsync($"{room} (left)");
        await alice.Conversations.GetByRole(AriaRole.Button, new() { Name = room }).ClickAsync();
        await Expect(alice.RoomTimeline(room)).ToContainTextAsync("bob left");
        await Expect(alice.Members).ToHaveAccessibleNameAsync("Online (1)");

        // Errors, each next to what caused it: a message to a room bob has left...
        await bob.SendAsync("Is anyone still here?");
        await Expect(Message(bob.RoomTimeline(room), "Is anyone still here?"))
            .ToContainTextAsync("Not allowed (forbidden): join room lobby before sending to it");
        await bob.ScreenshotAsync("bob-forbidden");

        // ...a direct message to someone who is not connected...
        await alice.OpenDirectAsync("carol");
        await Expect(alice.Page.GetByText("Direct messages · offline")).ToBeVisibleAsync();
        await alice.SendAsync("Are you around?");
        await Expect(Message(alice.DirectTimeline("carol"), "Are you around?"))
            .ToContainTextAsync("Not delivered (offline): user carol is not connected");

        // ...a name the gateway refuses, and a look-up that works.
        await alice.Page.GetByLabel("User to look up").FillAsync("not a name!");
        await alice.Button("Look up").ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "bad_request" }))
            .ToContainTextAsync("Rejected (bad_request): \"user\" must be 1-128 characters with no spaces, control or invisible characters");
        await alice.Page.GetByLabel("User to look up").FillAsync("bob");
        await alice.Button("Look up").ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Status)).ToContainTextAsync("bob is online on 1 connection.");
        await alice.ScreenshotAsync("alice-errors");

        // The pages are labelled, readable and clean: no script errors, nothing the policy refused.
        await Accessibility.AssertLabelledAsync(alice.Page);
        await Accessibility.AssertContrastAsync(alice.Page, "alice, light");
        await Accessibility.AssertContrastAsync(bob.Page, "bob, light");
        Assert.Empty(alice.ConsoleErrors);
        Assert.Empty(bob.ConsoleErrors);
    }
}
