using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.Packaging.Tests;

/// <summary>
/// The client library and the <c>chat</c> tool as packages: what the solution packs, and both
/// used from their packages against a running stack.
/// </summary>
public sealed class PackageTests(PackagesFixture fixture, ITestOutputHelper output) : IClassFixture<PackagesFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_solution_packs_the_client_its_protocol_and_the_chat_tool_and_nothing_else()
    {
        foreach (var timing in fixture.Timings)
        {
            output.WriteLine(timing);
        }

        var version = fixture.Version;
        var files = Directory.GetFiles(fixture.PackageFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                $"ChatPlatform.Cli.{version}.nupkg",
                $"ChatPlatform.Client.{version}.nupkg",
                $"ChatPlatform.Client.{version}.snupkg",
                $"ChatPlatform.Protocol.{version}.nupkg",
                $"ChatPlatform.Protocol.{version}.snupkg",
            ],
            files);

        var client = Package("ChatPlatform.Client");
        AssertMetadata(client, "ChatPlatform.Client");
        Assert.Contains("lib/net10.0/ChatPlatform.Client.dll", client.Entries);
        Assert.Contains("lib/net10.0/ChatPlatform.Client.xml", client.Entries);
        Assert.DoesNotContain(client.Entries, entry => entry.EndsWith(".pdb", StringComparison.Ordinal));
        // The protocol comes as a dependency, not inside the client package.
        Assert.DoesNotContain(client.Entries, entry => entry.Contains("ChatPlatform.Protocol", StringComparison.Ordinal));
        var dependency = Assert.Single(client.Nuspec.Descendants(client.Namespace + "dependency"));
        Assert.Equal("ChatPlatform.Protocol", (string?)dependency.Attribute("id"));
        Assert.Equal(version, (string?)dependency.Attribute("version"));
        Assert.Contains("lib/net10.0/ChatPlatform.Client.pdb", Package("ChatPlatform.Client", "snupkg").Entries);

        var protocol = Package("ChatPlatform.Protocol");
        AssertMetadata(protocol, "ChatPlatform.Protocol");
        Assert.Contains("lib/net10.0/ChatPlatform.Protocol.dll", protocol.Entries);
        Assert.Contains("lib/net10.0/ChatPlatform.Protocol.xml", protocol.Entries);
        Assert.Contains("lib/net10.0/ChatPlatform.Protocol.pdb", Package("ChatPlatform.Protocol", "snupkg").Entries);

        var tool = Package("ChatPlatform.Cli");
        AssertMetadata(tool, "ChatPlatform.Cli");
        Assert.Equal("DotnetTool", (string?)Assert.Single(tool.Nuspec.Descendants(tool.Namespace + "packageType")).Attribute("name"));
        // A tool carries everything it runs with, the client library too, and depends on nothing.
        Assert.Contains("tools/net10.0/any/chat.dll", tool.Entries);
        Assert.Contains("tools/net10.0/any/ChatPlatform.Client.dll", tool.Entries);
        Assert.Contains("tools/net10.0/any/ChatPlatform.Protocol.dll", tool.Entries);
        Assert.Empty(tool.Nuspec.Descendants(tool.Namespace + "dependency"));
        var settings = XDocument.Parse(tool.Read("tools/net10.0/any/DotnetToolSettings.xml"));
        var command = Assert.Single(settings.Descendants("Command"));
        Assert.Equal("chat", (string?)command.Attribute("Name"));
        Assert.Equal("chat.dll", (string?)command.Attribute("EntryPoint"));
    }

    [Fact]
    public async Task An_app_built_on_the_client_package_sends_a_message_that_arrives()
    {
        var sender = Names.Unique("app");
        var recipient = Names.Unique("bob");
        var text = $"hello from an app, {Guid.NewGuid():N}";
        await using var bob = await fixture.Stack.ConnectAsync(0, recipient);

        var run = await fixture.RunAsync("app-run", "dotnet", [fixture.AppAssembly, fixture.GatewayUrl, sender, recipient, text], fixture.AppFolder, timeout: RunTimeout);

        run.AssertSucceeded();
        var message = await bob.ExpectAsync("message");
        Assert.Equal(sender, message.GetProperty("from").GetProperty("user").GetString());
        Assert.Equal(recipient, message.GetProperty("to").GetProperty("user").GetString());
        Assert.Equal(text, message.GetProperty("body").GetProperty("text").GetString());
        Assert.Contains($"sent {message.GetProperty("message").GetString()} to 1", run.Output);
    }

    [Fact]
    public async Task The_installed_chat_tool_sends_a_message_that_arrives()
    {
        var sender = Names.Unique("tool");
        var recipient = Names.Unique("bob");
        var text = $"hello from the tool, {Guid.NewGuid():N}";
        await using var bob = await fixture.Stack.ConnectAsync(0, recipient);

        // The script ends with its input: the tool waits for the answer, then exits.
        var run = await fixture.RunAsync(
            "chat-script",
            fixture.ChatTool,
            ["script", "--url", fixture.GatewayUrl, "--user", sender],
            fixture.Root,
            standardInput: $"/msg {recipient} {text}\n",
            timeout: RunTimeout);

        run.AssertSucceeded();
        var message = await bob.ExpectAsync("message");
        Assert.Equal(sender, message.GetProperty("from").GetProperty("user").GetString());
        Assert.Equal(text, message.GetProperty("body").GetString());
        var ack = run.Output
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(line => line.GetProperty("event").GetString() == "ack");
        Assert.Equal(message.GetProperty("message").GetString(), ack.GetProperty("message").GetString());
        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
    }

    private PackageFile Package(string id, string extension = "nupkg") =>
        PackageFile.Read(Path.Combine(fixture.PackageFolder, $"{id}.{fixture.Version}.{extension}"), id);

    private void AssertMetadata(PackageFile package, string id)
    {
        var metadata = package.Nuspec.Root!.Element(package.Namespace + "metadata")!;
        string? Field(string name) => (string?)metadata.Element(package.Namespace + name);

        Assert.Equal(id, Field("id"));
        Assert.Equal(fixture.Version, Field("version"));
        Assert.Equal("ChatPlatform", Field("authors"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Contains("chat", Field("tags")!.Split(' '));
        var license = metadata.Element(package.Namespace + "license")!;
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Field("readme"));
        Assert.StartsWith($"# {id}", package.Read("README.md"));
    }

    private sealed record PackageFile(XDocument Nuspec, XNamespace Namespace, IReadOnlyList<string> Entries, string Location)
    {
        public static PackageFile Read(string path, string id)
        {
            using var zip = ZipFile.OpenRead(path);
            var nuspec = XDocument.Parse(Read(zip, $"{id}.nuspec"));
            return new PackageFile(nuspec, nuspec.Root!.Name.Namespace, [.. zip.Entries.Select(entry => entry.FullName)], path);
        }

        public string Read(string entry)
        {
            using var zip = ZipFile.OpenRead(Location);
            return Read(zip, entry);
        }

        private static string Read(ZipArchive zip, string entry)
        {
            using var reader = new StreamReader((zip.GetEntry(entry) ?? throw new FileNotFoundException($"{entry} is not in the package")).Open());
            return reader.ReadToEnd();
        }
    }
}
