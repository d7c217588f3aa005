namespace ChatPlatform.Load.Stats;

/// <summary>What a run was asked to do, as its summary repeats it.</summary>
internal sealed record RunHeader(string Mode, int Clients, int Gateways, double Rate, string? Room);
