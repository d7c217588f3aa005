using ChatPlatform.Testing;

namespace ChatPlatform.Browser.Tests;

/// <summary>The chat page's files under <c>/assets/</c>, as they are in the repository.</summary>
internal static class PageAssets
{
    public static string Directory { get; } = Path.Combine(Repository.Root, "services", "gateway", "wwwroot", "assets");

    /// <summary>Every file name, in ordinal order.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [.. System.IO.Directory.EnumerateFiles(Directory).Select(path => Path.GetFileName(path)!).Order(StringComparer.Ordinal)];

    /// <summary>The page's JavaScript modules, by file name.</summary>
    public static IReadOnlyList<string> Modules { get; } = [.. Files.Where(file => file.EndsWith(".js", StringComparison.Ordinal))];
}
