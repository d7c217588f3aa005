namespace ChatPlatform.Packaging.Tests;

/// <summary>
/// A console app as a user of the library writes one: its own project file, no repository
/// settings, and ChatPlatform.Client by package reference from a package source that the app's
/// nuget.config adds to the machine's. Run as <c>dotnet ChatApp.dll URL USER RECIPIENT TEXT</c>, it
/// connects as a development user, sends TEXT to RECIPIENT and prints what the gateway answered.
/// </summary>
public static class ConsumerApp
{
    public static void Write(string folder, string packageFolder, string version)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ChatApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <!-- A warning about the package (a missing dependency, a version not found) fails the build. -->
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The package feeds here have no vulnerability data; auditing would only warn. -->
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ChatPlatform.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """);

        // No <clear/>: the local folder is added to the sources the machine is configured with.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{packageFolder}" />
              </packageSources>
            </configuration>
            """);

        // MSBuild looks for these in every folder above a project: empty ones here keep any that a
        // folder above the temporary directory may hold out of the app's build.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(folder, file), "<Project />\n");
        }

        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using ChatPlatform.Client;

            if (args is not [var url, var user, var recipient, var text])
            {
                Console.Error.WriteLine("usage: ChatApp URL USER RECIPIENT TEXT");
                return 1;
            }

            var options = new ChatClientOptions { Urls = { new Uri(url) }, User = user, RequestTimeout = TimeSpan.FromSeconds(20) };
            await using var client = await ChatClient.ConnectAsync(options);
            Console.WriteLine($"connected to {client.Session.Gateway} as {client.Session.User}");
            try
            {
                var sent = await client.SendToUserAsync(recipient, new { text });
                Console.WriteLine($"sent {sent.MessageId} to {sent.Recipients}");
                return 0;
            }
            catch (ChatException error) when (error.Code == ChatErrorCodes.Offline)
            {
                Console.WriteLine($"not sent: {error.Message}");
                return 2;
            }
            """);
    }
}
