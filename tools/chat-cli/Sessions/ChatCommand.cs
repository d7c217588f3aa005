namespace ChatPlatform.Cli.Sessions;

/// <summary>One line of input, parsed.</summary>
/// <param name="Line">Its line number, from 1.</param>
/// <param name="Text">The line as typed.</param>
/// <param name="Name">The room or user it names, if any.</param>
/// <param name="Body">The message text, for sends.</param>
/// <param name="Error">Why the line is <see cref="CommandKind.Invalid"/>.</param>
/// <param name="Limit">How many stored messages a history command asks for, if it says.</param>
internal sealed record ChatCommand(CommandKind Kind, int Line, string Text, string? Name = null, string? Body = null, string? Error = null, int? Limit = null);
