using System.Text.RegularExpressions;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// The page's scripts are ES modules loaded without a build step (<c>assets/app.js</c> first,
/// the rest preloaded by <c>index.html</c>): each imports only modules that sit below it, so
/// none imports one that imports it back.
/// </summary>
public sealed partial class PageModuleTests
{
    [Fact]
    public void Every_module_is_reached_from_app_js_and_no_module_imports_itself_through_others()
    {
        var imports = PageAssets.Modules.ToDictionary(
            module => module,
            module => Import().Matches(File.ReadAllText(Path.Combine(PageAssets.Directory, module))).Select(match => match.Groups["module"].Value).ToArray());
        foreach (var (module, imported) in imports)
        {
            Assert.All(imported, target => Assert.True(imports.ContainsKey(target), $"{module} imports {target}, which is not in assets/"));
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        Visit("app.js");
        Assert.Equal(PageAssets.Modules, reached.Order(StringComparer.Ordinal));

        void Visit(string module)
        {
            path.Add(module);
            reached.Add(module);
            foreach (var target in imports[module])
            {
                Assert.False(path.Contains(target), $"an import cycle: {string.Join(" -> ", path.SkipWhile(step => step != target))} -> {target}");
                if (!finished.Contains(target))
                {
                    Visit(target);
                }
            }

            path.RemoveAt(path.Count - 1);
            finished.Add(module);
        }
    }

    [Fact]
    public void The_page_preloads_every_module_app_js_imports_so_the_browser_fetches_them_at_once()
    {
        var html = File.ReadAllText(Path.Combine(PageAssets.Directory, "..", "index.html"));

        Assert.Equal(
            PageAssets.Modules.Where(module => module != "app.js"),
            Preload().Matches(html).Select(match => match.Groups["module"].Value).Order(StringComparer.Ordinal));
    }

    // A static import of a module beside it: import { a, b } from './name.js';
    [GeneratedRegex(@"^import\s[^;]*?\sfrom\s'\./(?<module>[a-z-]+\.js)';", RegexOptions.Multiline)]
    private static partial Regex Import();

    [GeneratedRegex("""<link rel="modulepreload" href="assets/(?<module>[a-z-]+\.js)">""")]
    private static partial Regex Preload();
}
