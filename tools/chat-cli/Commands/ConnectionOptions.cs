using System.CommandLine;
using ChatPlatform.Client;

namespace ChatPlatform.Cli.Commands;

/// <summary>The options <c>connect</c> and <c>script</c> share: where to connect and as whom.</summary>
internal sealed class ConnectionOptions
{
    private readonly Option<string[]> _urls = new("--url")
    {
        Description = "A gateway's WebSocket address, e.g. ws://127.0.0.1:8081/ws; repeat it to name several (reconnects move through them)",
        Required = true,
    };

    private readonly Option<string?> _user = new("--user")
    {
        Description = "Connect as this development user (?user=NAME)",
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "Connect with this JWT (Authorization: Bearer); CHAT_TOKEN if neither --user nor --token is given",
    };

    private readonly Option<double> _timeout = TimeoutOption.Create("Seconds a command waits for the gateway's answer");

    public void AddTo(Command command)
    {
        command.Options.Add(_urls);
        command.Options.Add(_user);
        command.Options.Add(_token);
        command.Options.Add(_timeout);
        command.Validators.Add(result =>
        {
            var user = result.GetValue(_user);
            var token = result.GetValue(_token) ?? (user is null ? Environment.GetEnvironmentVariable("CHAT_TOKEN") : null);
            if ((user is null) == (token is null))
            {
                result.AddError("Give exactly one of --user NAME or --token JWT.");
            }

            foreach (var url in result.GetValue(_urls) ?? [])
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
                {
                    result.AddError($"--url must be a ws:// or wss:// address: {url}");
                }
            }
        });
    }

    public ChatClientOptions Read(ParseResult result)
    {
        var user = result.GetValue(_user);
        var options = new ChatClientOptions
        {
            User = user,
            Token = result.GetValue(_token) ?? (user is null ? Environment.GetEnvironmentVariable("CHAT_TOKEN") : null),
            RequestTimeout = TimeSpan.FromSeconds(result.GetValue(_timeout)),
        };
        foreach (var url in result.GetRequiredValue(_urls))
        {
            options.Urls.Add(new Uri(url, UriKind.Absolute));
        }

        return options;
    }
}
