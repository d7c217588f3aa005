using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// What a backend does through the server API (docs/api.md), as the page shows it: a message from
/// a system sender, its connection taken out of a room, and being disconnected by the server
/// (4000). The page is the gateway's; its WebSocket is answered by a script in the test, which
/// sends what a gateway would on a backend's behalf.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BackendEventsTests(BrowserFixture fixture)
{
    private const string Me = "pat";

    [Fact]
    public async Task A_system_sender_is_shown_as_one_never_as_a_person_and_cannot_be_answered()
    {
        await using var page = await fixture.OpenAsync(0);
        var gateway = await ScriptedGateway.RouteAsync(page.Page);
        await page.SignInAsync(Me);
        await page.JoinAsync("lobby");

        gateway.Send(new { type = "message", message = "m-1", from = new { system = "billing" }, to = new { room = "lobby" }, body = new { text = "Invoices go out tonight" }, ts = 1_733_577_600_000, stream = "room:lobby", offset = 1 });
        gateway.Send(new { type = "message", message = "m-2", from = new { system = "billing" }, to = new { user = Me }, body = new { text = "Your invoice is ready" }, ts = 1_733_577_600_001, stream = $"user:{Me}", offset = 1 });

        var inRoom = Message(page.RoomTimeline("lobby"), "Invoices go out tonight");
        await Expect(inRoom).ToContainTextAsync("billing");
        await Expect(inRoom.Locator(".tag.system-tag")).ToHaveTextAsync("system");
        await Expect(inRoom.Locator(".avatar.system")).ToHaveCountAsync(1);

        // The direct message has a conversation of its own, marked as a system sender's.
        var conversation = page.Conversations.GetByRole(AriaRole.Button, new() { Name = "billing (system)" });
        await Expect(conversation).ToBeVisibleAsync();
        await conversation.ClickAsync();
        await Expect(page.Title("billing (system)")).ToBeVisibleAsync();
        var timeline = page.Page.GetByRole(AriaRole.List, new() { Name = "Messages from billing (system)", Exact = true });
        await Expect(Message(timeline, "Your invoice is ready")).ToContainTextAsync("system");
        await Expect(page.MessageBox).ToBeHiddenAsync();
        await Expect(page.Button("Check status")).ToHaveCountAsync(0);
        await Expect(page.Page.GetByRole(AriaRole.List, new() { Name = "Messages with billing", Exact = true })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("system-sender");

        // Nothing was asked about a user named billing, nor sent to one.
        Assert.DoesNotContain(gateway.Received, frame => frame.GetRawText().Contains("billing", StringComparison.Ordinal));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task A_room_the_connection_was_taken_out_of_leaves_the_joined_list_and_is_not_joined_again()
    {
        await using var page = await fixture.OpenAsync(0);
        var gateway = await ScriptedGateway.RouteAsync(page.Page);
        await page.SignInAsync(Me);
        await page.JoinAsync("lobby");

        gateway.Send(new { type = "left", room = "lobby", user = Me });

        await Expect(page.RoomTimeline("lobby")).ToContainTextAsync("You were removed from #lobby.");
        await Expect(page.Conversations.GetByRole(AriaRole.Button, new() { Name = "lobby (left)" })).ToBeVisibleAsync();
        await Expect(page.Button("Join again")).ToBeVisibleAsync();
        await Expect(page.Members).ToBeHiddenAsync();
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task After_4000_the_page_says_it_was_disconnected_by_the_server_and_does_not_reconnect()
    {
        await using var page = await fixture.OpenAsync(0);
        var gateway = await ScriptedGateway.RouteAsync(page.Page);
        await page.SignInAsync(Me);
        await page.JoinAsync("lobby");

        await gateway.CloseAsync(4000, "account suspended");

        await Expect(page.ConnectionStatus).ToHaveTextAsync("Disconnected by the server: account suspended");
        await Expect(page.RoomTimeline("lobby")).ToContainTextAsync("Disconnected by the server: account suspended.");
        await Expect(page.Button("Reconnect now")).ToBeHiddenAsync();
        await page.ScreenshotAsync("disconnected-by-the-server");

        // The page would have tried again within a second or two after any other close.
        await Task.Delay(3000);
        Assert.Equal(1, gateway.Connections);
        await Expect(page.ConnectionStatus).ToHaveTextAsync("Disconnected by the server: account suspended");
        Assert.Empty(page.ConsoleErrors);
    }

    /// <summary>
    /// Stands in for the gateway behind the page's WebSocket: welcomes each connection, acks
    /// joins, answers presence and history with nothing, and sends what the test says.
    /// </summary>
    private sealed class ScriptedGateway
    {
        private readonly List<JsonElement> _received = [];
        private IWebSocketRoute? _socket;
        private int _connections;

        public int Connections => Volatile.Read(ref _connections);

        /// <summary>Every frame the page sent.</summary>
        public IReadOnlyList<JsonElement> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public static async Task<ScriptedGateway> RouteAsync(IPage page)
        {
            var gateway = new ScriptedGateway();
            await page.RouteWebSocketAsync(new Regex("/ws(\\?|$)"), socket => gateway.Accept(socket));
            return gateway;
        }

        public void Send(object frame) => _socket!.Send(JsonSerializer.Serialize(frame));

        public Task CloseAsync(int code, string reason) => _socket!.CloseAsync(new() { Code = code, Reason = reason });

        private void Accept(IWebSocketRoute socket)
        {
            var number = Interlocked.Increment(ref _connections);
            _socket = socket;
            socket.OnMessage(frame =>
            {
                var request = JsonDocument.Parse(frame.Text ?? "{}").RootElement.Clone();
                lock (_received)
                {
                    _received.Add(request);
                }

                var id = request.GetProperty("id");
                switch (request.GetProperty("type").GetString())
                {
                    case "join" or "leave":
                        Send(new { type = "ack", id, room = request.GetProperty("room").GetString() });
                        break;
                    case "presence" when request.TryGetProperty("room", out var room):
                        Send(new { type = "presence", id, room = room.GetString(), users = new[] { Me } });
                        break;
                    case "history":
                        Send(new { type = "history", id, stream = request.TryGetProperty("room", out var name) ? $"room:{name.GetString()}" : $"user:{Me}", epoch = "", messages = Array.Empty<object>() });
                        break;
                    default:
                        Send(new { type = "error", id, code = "unknown_type", message = "not scripted" });
                        break;
                }
            });
            Send(new { type = "welcome", connection = $"{number:x16}", user = Me, gateway = "gateway-9" });
        }
    }
}
