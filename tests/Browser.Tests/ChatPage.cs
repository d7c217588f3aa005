using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// The chat page in one browser context, driven the way a person would, through the page's
/// roles and labels (which also checks that every control is labelled).
/// </summary>
public sealed class ChatPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _consoleErrors = [];
    private readonly List<(Uri Url, List<string> Sent, List<string> Received)> _sockets = [];

    public ChatPage(IBrowserContext context, IPage page, Uri address)
    {
        _context = context;
        Page = page;
        Address = address;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.WebSocket += (_, socket) =>
        {
            var sent = new List<string>();
            var received = new List<string>();
            lock (_sockets)
            {
                _sockets.Add((new Uri(socket.Url), sent, received));
            }

            socket.FrameSent += (_, frame) =>
            {
                lock (_sockets)
                {
                    sent.Add(frame.Text ?? "");
                }
            };
            socket.FrameReceived += (_, frame) =>
            {
                lock (_sockets)
                {
                    received.Add(frame.Text ?? "");
                }
            };
        };
        page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    public Uri Address { get; }

    /// <summary>Errors the page logged: script errors, refused resources, content security policy violations.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    /// <summary>Every WebSocket the page opened, in order.</summary>
    public IReadOnlyList<Uri> Sockets
    {
        get
        {
            lock (_sockets)
            {
                return [.. _sockets.Select(socket => socket.Url)];
            }
        }
    }

    /// <summary>The text frames the page sent on its WebSocket number <paramref name="index"/> (in <see cref="Sockets"/>), so far.</summary>
    public IReadOnlyList<string> FramesSent(int index)
    {
        lock (_sockets)
        {
            return [.. _sockets[index].Sent];
        }
    }

    /// <summary>The frames the page received on its WebSocket number <paramref name="index"/> (in <see cref="Sockets"/>), so far, of one type.</summary>
    public IReadOnlyList<JsonElement> FramesReceived(int index, string type)
    {
        List<string> texts;
        lock (_sockets)
        {
            texts = [.. _sockets[index].Received];
        }

        return [.. texts.Select(text => JsonDocument.Parse(text).RootElement)
            .Where(frame => frame.TryGetProperty("type", out var t) && t.GetString() == type)];
    }

    /// <summary>The connection state in the top bar.</summary>
    public ILocator ConnectionStatus => Page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Status);

    public ILocator Conversations => Page.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" });

    /// <summary>The room's online list.</summary>
    public ILocator Members => Page.GetByRole(AriaRole.Complementary);

    public ILocator MessageBox => Page.GetByLabel("Message", new() { Exact = true });

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Title(string text) => Page.GetByRole(AriaRole.Heading, new() { Name = text, Exact = true, Level = 1 });

    public ILocator RoomTimeline(string room) => Page.GetByRole(AriaRole.List, new() { Name = $"Messages in #{room}", Exact = true });

    public ILocator DirectTimeline(string user) => Page.GetByRole(AriaRole.List, new() { Name = $"Messages with {user}", Exact = true });

    /// <summary>One message in a timeline, found by its text.</summary>
    public static ILocator Message(ILocator timeline, string text) =>
        timeline.GetByRole(AriaRole.Listitem).Filter(new() { HasText = text });

    /// <summary>The text of every entry in a timeline, top to bottom.</summary>
    public static async Task<IReadOnlyList<string>> EntriesAsync(ILocator timeline) =>
        await timeline.GetByRole(AriaRole.Listitem).AllInnerTextsAsync();

    /// <summary>
    /// Each of <paramref name="texts"/> is in exactly one entry, and those entries are in this
    /// order, top to bottom.
    /// </summary>
    public static void AssertInOrder(IReadOnlyList<string> entries, IEnumerable<string> texts)
    {
        var previous = -1;
        var previousText = "";
        foreach (var text in texts)
        {
            var at = entries.Select((entry, index) => (entry, index)).Where(item => item.entry.Contains(text, StringComparison.Ordinal)).Select(item => item.index).ToList();
            Assert.True(at.Count == 1, $"\"{text}\" is in {at.Count} entries, not 1:\n{string.Join('\n', entries)}");
            Assert.True(at[0] > previous, $"\"{text}\" comes before \"{previousText}\":\n{string.Join('\n', entries)}");
            previous = at[0];
            previousText = text;
        }
    }

    public async Task SignInAsync(string user)
    {
        await Page.GetByLabel("Your name").FillAsync(user);
        await Button("Sign in").ClickAsync();
        await Expect(ConnectionStatus).ToContainTextAsync("Connected to gateway-");
        await Expect(Title($"Welcome, {user}")).ToBeVisibleAsync();
    }

    /// <summary>Signs in with a pasted token; <paramref name="user"/> is the subject the gateway takes from it.</summary>
    public async Task SignInWithTokenAsync(string token, string user)
    {
        await EnterTokenAsync(token);
        await Expect(ConnectionStatus).ToContainTextAsync("Connected to gateway-");
        await Expect(Title($"Welcome, {user}")).ToBeVisibleAsync();
    }

    /// <summary>Chooses to sign in with a token, pastes it and submits, whatever the gateway then says.</summary>
    public async Task EnterTokenAsync(string token)
    {
        await Page.GetByRole(AriaRole.Radio, new() { Name = "An access token" }).CheckAsync();
        await Page.GetByLabel("Access token", new() { Exact = true }).FillAsync(token);
        await Button("Sign in").ClickAsync();
    }

    public async Task JoinAsync(string room)
    {
        await Page.GetByLabel("Room name").FillAsync(room);
        await Button("Join").ClickAsync();
        await Expect(Title($"#{room}")).ToBeVisibleAsync();
        await Expect(RoomTimeline(room)).ToContainTextAsync($"You joined #{room}.");
    }

    public async Task OpenDirectAsync(string user)
    {
        await Page.GetByLabel("Message a user").FillAsync(user);
        await Button("Open").ClickAsync();
        await Expect(Title(user)).ToBeVisibleAsync();
    }

    /// <summary>Sends from the message box of the open conversation.</summary>
    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await Button("Send").ClickAsync();
        await Expect(MessageBox).ToHaveValueAsync("");
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png") });

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
