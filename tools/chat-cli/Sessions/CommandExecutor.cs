using ChatPlatform.Client;

namespace ChatPlatform.Cli.Sessions;

/// <summary>
/// Carries out commands on a <see cref="ChatClient"/>. Each call is made before
/// <see cref="ExecuteAsync"/> returns, so commands reach the gateway in input order even while
/// earlier ones wait for their answers; the current room changes in input order too.
/// </summary>
internal sealed class CommandExecutor(ChatClient client)
{
    /// <summary>Error code for input the CLI cannot carry out (it never reaches the gateway).</summary>
    public const string BadCommand = "bad_command";

    private string? _currentRoom;

    public Task<CommandOutcome> ExecuteAsync(ChatCommand command)
    {
        switch (command.Kind)
        {
            case CommandKind.Join:
                var previous = _currentRoom;
                _currentRoom = command.Name;
                return RunAsync(command, JoinAsync(command.Name!, previous));
            case CommandKind.Leave:
                if (_currentRoom == command.Name)
                {
                    _currentRoom = null;
                }

                return RunAsync(command, LeaveAsync(command.Name!));
            case CommandKind.Message:
                return RunAsync(command, Boxed(client.SendToUserAsync(command.Name!, command.Body)));
            case CommandKind.Room:
                _currentRoom = command.Name;
                return RunAsync(command, Boxed(client.SendToRoomAsync(command.Name!, command.Body)));
            case CommandKind.Everyone:
                return RunAsync(command, Boxed(client.SendToEveryoneAsync(command.Body)));
            case CommandKind.Say when _currentRoom is null:
                return Task.FromResult(Refused(command, "no current room: /join ROOM or /room ROOM TEXT first"));
            case CommandKind.Say:
                return RunAsync(command, Boxed(client.SendToRoomAsync(_currentRoom, command.Body)));
            case CommandKind.Who:
                return RunAsync(command, Boxed(client.GetRoomPresenceAsync(command.Name!)));
            case CommandKind.Whois:
                return RunAsync(command, Boxed(client.GetUserPresenceAsync(command.Name!)));
            case CommandKind.RoomHistory:
                return RunAsync(command, Boxed(client.GetRoomHistoryAsync(command.Name!, command.Limit ?? ChatClient.DefaultHistoryLimit)));
            case CommandKind.DirectHistory:
                return RunAsync(command, Boxed(client.GetDirectHistoryAsync(command.Limit ?? ChatClient.DefaultHistoryLimit)));
            default:
                return Task.FromResult(Refused(command, command.Error ?? $"{command.Text} is not a chat command"));
        }
    }

    private static CommandOutcome Refused(ChatCommand command, string message) =>
        new(command, null, new ChatException(BadCommand, message));

    private static async Task<CommandOutcome> RunAsync(ChatCommand command, Task<object?> call)
    {
        try
        {
            return new CommandOutcome(command, await call, null);
        }
        catch (ChatException exception)
        {
            return new CommandOutcome(command, null, exception);
        }
    }

    private static async Task<object?> Boxed<T>(Task<T> call) => await call;

    private async Task<object?> JoinAsync(string room, string? previous)
    {
        try
        {
            await client.JoinAsync(room);
            return room;
        }
        catch (ChatException) when (!client.Rooms.Contains(room))
        {
            // A refused join leaves no room to talk in: go back to the previous one, unless a
            // later command has changed the current room since. A join the client keeps (it timed
            // out or was cut off by a disconnect) stays current.
            Interlocked.CompareExchange(ref _currentRoom, previous, room);
            throw;
        }
    }

    private async Task<object?> LeaveAsync(string room)
    {
        await client.LeaveAsync(room);
        return room;
    }
}
