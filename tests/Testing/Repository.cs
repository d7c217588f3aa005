using System.Reflection;

namespace ChatPlatform.Testing;

/// <summary>Where the repository and the built services are.</summary>
public static class Repository
{
    private static readonly Assembly Self = typeof(Repository).Assembly;

    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The build output folder of a service, e.g. <c>ServiceDirectory("gateway")</c>.</summary>
    public static string ServiceDirectory(string service) =>
        Path.Combine(Root, "services", service, "bin", Configuration, "net10.0");

    /// <summary>Test output folder for logs and artifacts a person may want to read.</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    private static string Metadata(string key) =>
        Self.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
