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
    private readonly List<Uri> _sockets = [];

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
            lock (_sockets)
            {
                _sockets.Add(new Uri(socket.Url));
            }
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
                return [.. _sockets];
            }
        }
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
