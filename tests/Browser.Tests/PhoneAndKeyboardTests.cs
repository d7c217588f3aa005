using ChatPlatform.Testing;
using Microsoft.Playwright;
using static ChatPlatform.Browser.Tests.ChatPage;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PhoneAndKeyboardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task On_a_375_pixel_phone_screen_the_page_fits_works_from_the_keyboard_alone_and_stays_readable_in_both_color_schemes()
    {
        var room = Names.Unique("team");
        var fay = Names.Unique("fay");
        var gus = Names.Unique("gus");
        await using var phone = await fixture.OpenAsync(0, width: 375, height: 740);
        await using var desk = await fixture.OpenAsync(1);
        var page = phone.Page;

        // Landmarks and labels on the sign-in view.
        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to chat");
        await Accessibility.AssertLabelledAsync(page);
        await Accessibility.AssertNoHorizontalScrollingAsync(page, "sign in");
        await Accessibility.AssertContrastAsync(page, "sign in, light");
        await phone.ScreenshotAsync("phone-signin");

        // Keyboard only from here: Tab to the name, type it, Enter.
        var name = page.GetByLabel("Your name");
        await Accessibility.TabToAsync(page, name);
        await Accessibility.AssertFocusVisibleAsync(page);
        await page.Keyboard.TypeAsync(fay);
        await page.Keyboard.PressAsync("Enter");
        await Expect(phone.ConnectionStatus).ToHaveTextAsync("Connected to gateway-1");

        // On a phone the conversation list opens first, with the focus in the join form.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Conversations" })).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByLabel("Room name")).ToBeFocusedAsync();
        await Accessibility.AssertNoHorizontalScrollingAsync(page, "conversation list");
        await page.Keyboard.TypeAsync(room);
        await page.Keyboard.PressAsync("Enter");
        await Expect(phone.Title($"#{room}")).ToBeVisibleAsync();
        await Expect(phone.MessageBox).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Typed on a phone, sent with Enter.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(Message(phone.RoomTimeline(room), "Typed on a phone, sent with Enter.")).ToContainTextAsync("Sent; no one else is in the room");

        // Someone else joins from the other gateway and talks.
        await desk.SignInAsync(gus);
        await desk.JoinAsync(room);
        await Expect(phone.RoomTimeline(room)).ToContainTextAsync($"{gus} joined");
        await Expect(phone.Members).ToHaveAccessibleNameAsync("Online (2)");
        await desk.SendAsync("A long line to check that messages wrap on a narrow screen: https://example.invalid/a/very/long/path/that/must/wrap/instead/of/scrolling/sideways");
        await Expect(phone.RoomTimeline(room)).ToContainTextAsync("must/wrap/instead/of/scrolling/sideways");
        await Accessibility.AssertNoHorizontalScrollingAsync(page, "room");
        await phone.ScreenshotAsync("phone-room");

        // The focus ring shows on the controls the keyboard reaches.
        await Accessibility.TabToAsync(page, phone.Button("Send"));
        await Accessibility.AssertFocusVisibleAsync(page);
        await Accessibility.TabToAsync(page, phone.Button("Leave room"), key: "Shift+Tab");
        await Accessibility.AssertFocusVisibleAsync(page);

        // The conversation list opens from the keyboard and Escape closes it, back to its button.
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Conversations" });
        await Accessibility.TabToAsync(page, menu, key: "Shift+Tab");
        await Accessibility.AssertFocusVisibleAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(phone.Conversations).ToBeVisibleAsync();
        await Accessibility.AssertNoHorizontalScrollingAsync(page, "conversation list with a room");
        await phone.ScreenshotAsync("phone-conversations");
        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(menu).ToBeFocusedAsync();

        // Readable in the light and the dark color scheme.
        await Accessibility.AssertLabelledAsync(page);
        await Accessibility.AssertContrastAsync(page, "room, light");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Accessibility.AssertContrastAsync(page, "room, dark");
        await phone.ScreenshotAsync("phone-room-dark");
        await desk.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Accessibility.AssertContrastAsync(desk.Page, "desktop room, dark");
        await desk.ScreenshotAsync("desktop-room-dark");

        Assert.Empty(phone.ConsoleErrors);
        Assert.Empty(desk.ConsoleErrors);
    }
}
