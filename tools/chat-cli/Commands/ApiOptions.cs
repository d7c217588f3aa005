using System.CommandLine;
using System.CommandLine.Parsing;
using ChatPlatform.Cli.Api;
using ChatPlatform.Client.Api;

namespace ChatPlatform.Cli.Commands;

/// <summary>
/// The options every <c>chat api</c> command shares: where the server API is, and how long to
/// wait. The key comes from <c>CHAT_API_KEY</c> or a file, never from the command line, where
/// any user of the machine could read it (ps, /proc).
/// </summary>
internal sealed class ApiOptions
{
    public const string UrlVariable = "CHAT_API_URL";

    public const string KeyVariable = "CHAT_API_KEY";

    public const string DefaultUrl = "http://127.0.0.1:8181";

    private readonly Option<string?> _url = new("--api-url")
    {
        Description = $"The server API's base address, a gateway's API port (default: {UrlVariable}, else {DefaultUrl})",
    };

    private readonly Option<FileInfo?> _keyFile = new("--api-key-file")
    {
        Description = $"Read the API key from this file (default: the {KeyVariable} environment variable)",
    };

    private readonly Option<double> _timeout = TimeoutOption.Create("Seconds to wait for the API's answer");

    public void AddTo(Command command)
    {
        command.Options.Add(_url);
        command.Options.Add(_keyFile);
        command.Options.Add(_timeout);
        command.Validators.Add(result =>
        {
            var url = Url(result);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError($"--api-url must be an http:// or https:// address: {url}");
            }
        });
    }

    /// <summary>A client of the API the options name.</summary>
    /// <exception cref="ApiUsageException">No key was given, or its file cannot be read.</exception>
    public ChatApiClient Client(ParseResult result)
    {
        var http = new HttpClient
        {
            BaseAddress = new Uri(Url(result), UriKind.Absolute),
            Timeout = TimeSpan.FromSeconds(result.GetValue(_timeout)),
        };
        try
        {
            return new ChatApiClient(http, Key(result));
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    private string Url(CommandResult result) =>
        result.GetValue(_url) ?? NonEmpty(Environment.GetEnvironmentVariable(UrlVariable)) ?? DefaultUrl;

    private string Url(ParseResult result) =>
        result.GetValue(_url) ?? NonEmpty(Environment.GetEnvironmentVariable(UrlVariable)) ?? DefaultUrl;

    private string Key(ParseResult result)
    {
        if (result.GetValue(_keyFile) is { } file)
        {
            string key;
            try
            {
                key = File.ReadAllText(file.FullName).Trim();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new ApiUsageException($"cannot read the API key from {file.FullName}: {exception.Message}");
            }

            return key.Length > 0 ? key : throw new ApiUsageException($"{file.FullName} is empty; it should hold the API key");
        }

        return NonEmpty(Environment.GetEnvironmentVariable(KeyVariable)?.Trim())
            ?? throw new ApiUsageException($"set {KeyVariable} to the API key, or give --api-key-file PATH");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
