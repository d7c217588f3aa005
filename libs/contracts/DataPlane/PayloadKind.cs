namespace ChatPlatform.Contracts.DataPlane;

/// <summary>First byte of every data-plane payload on Redis.</summary>
public enum PayloadKind : byte
{
    Inbound = 1,
    Delivery = 2,
    Outcome = 3,
}
