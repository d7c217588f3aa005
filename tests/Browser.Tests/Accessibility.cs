using System.Text.Json;
using Microsoft.Playwright;

namespace ChatPlatform.Browser.Tests;

/// <summary>Checks run in the page on what it shows at the moment.</summary>
public static class Accessibility
{
    // WCAG 2 contrast of every visible piece of text against the background it is drawn on:
    // 4.5:1, or 3:1 for large text (24px, or 18.66px bold).
    private const string ContrastScript = """
        () => {
          const parse = (value) => {
            const match = /rgba?\(([^)]+)\)/.exec(value);
            if (!match) return null;
            const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
            return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
          };
          const blend = (top, bottom) => ({
            r: top.r * top.a + bottom.r * (1 - top.a),
            g: top.g * top.a + bottom.g * (1 - top.a),
            b: top.b * top.a + bottom.b * (1 - top.a),
            a: 1,
          });
          const luminance = ({ r, g, b }) => {
            const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
          };
          const background = (element) => {
            const layers = [];
            for (let e = element; e; e = e.parentElement) {
              const color = parse(getComputedStyle(e).backgroundColor);
              if (color && color.a > 0) {
                layers.push(color);
                if (color.a >= 1) break;
              }
            }
            let result = { r: 255, g: 255, b: 255, a: 1 };
            for (let i = layers.length - 1; i >= 0; i--) result = blend(layers[i], result);
            return result;
          };
          const failures = [];
          let checked = 0;
          const seen = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const element = node.parentElement;
            if (!node.textContent.trim() || !element || seen.has(element)) continue;
            seen.add(element);
            if (!element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
            const rect = element.getBoundingClientRect();
            if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden, for screen readers
            const style = getComputedStyle(element);
            const background_ = background(element);
            const foreground = blend(parse(style.color), background_);
            const [light, dark] = [luminance(foreground), luminance(background_)].sort((a, b) => b - a);
            const ratio = (light + 0.05) / (dark + 0.05);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (parseInt(style.fontWeight, 10) >= 700 && size >= 18.66);
            const needed = large ? 3 : 4.5;
            checked++;
            if (ratio < needed) {
              failures.push(`${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}${element.className ? '.' + String(element.className).replace(/ /g, '.') : ''} "${node.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1, needs ${needed}:1`);
            }
          }
          return { checked, failures };
        }
        """;

    // Every form control has a label, every button and link a name.
    private const string LabelScript = """
        () => {
          const problems = [];
          for (const control of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
            if (!(control.labels && control.labels.length) && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby')) {
              problems.push(`unlabelled ${control.tagName.toLowerCase()}#${control.id}`);
            }
          }
          for (const control of document.querySelectorAll('button, a[href]')) {
            if (!control.textContent.trim() && !control.getAttribute('aria-label')) {
              problems.push(`nameless ${control.outerHTML.slice(0, 80)}`);
            }
          }
          return problems;
        }
        """;

    public static async Task<int> AssertContrastAsync(IPage page, string what)
    {
        var result = await page.EvaluateAsync<JsonElement>(ContrastScript);
        var failures = result.GetProperty("failures").EnumerateArray().Select(failure => failure.GetString()).ToList();
        var checkedTexts = result.GetProperty("checked").GetInt32();
        Assert.True(failures.Count == 0, $"Text with too little contrast ({what}):\n{string.Join('\n', failures)}");
        Assert.True(checkedTexts > 10, $"Only {checkedTexts} texts were checked ({what}).");
        return checkedTexts;
    }

    public static async Task AssertLabelledAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(LabelScript);
        Assert.True(problems.Length == 0, string.Join('\n', problems));
    }

    /// <summary>Nothing wider than the viewport: no sideways scrolling on a phone.</summary>
    public static async Task AssertNoHorizontalScrollingAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.body.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[2] && widths[1] <= widths[2], $"The page is {Math.Max(widths[0], widths[1])} px wide in a {widths[2]} px viewport ({what}).");
    }

    /// <summary>The focused element shows a focus ring of at least 2 px.</summary>
    public static async Task AssertFocusVisibleAsync(IPage page)
    {
        var focus = await page.EvaluateAsync<string>("""
            () => {
              const element = document.activeElement;
              const style = getComputedStyle(element);
              return `${element.tagName.toLowerCase()}#${element.id}|${style.outlineStyle}|${style.outlineWidth}`;
            }
            """);
        var parts = focus.Split('|');
        Assert.True(parts[1] != "none" && double.Parse(parts[2].Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture) >= 2,
            $"{parts[0]} has focus but no visible focus ring (outline {parts[1]} {parts[2]}).");
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus: it is reachable from the keyboard.</summary>
    public static async Task TabToAsync(IPage page, ILocator target, int maxPresses = 30, string key = "Tab")
    {
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync(key);
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail($"{target} was not reached with {maxPresses} presses of {key}.");
    }
}
