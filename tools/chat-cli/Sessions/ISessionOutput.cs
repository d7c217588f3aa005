using ChatPlatform.Client.Events;

namespace ChatPlatform.Cli.Sessions;

/// <summary>Where a session writes what happens: for people, or as JSON lines (Output/). Called from any thread.</summary>
internal interface ISessionOutput
{
    void Event(ChatEvent chatEvent);

    void Outcome(CommandOutcome outcome);

    void Help(string text);

    /// <summary>The session cannot go on (e.g. no gateway welcomed the connection).</summary>
    void Fatal(string code, string message);
}
