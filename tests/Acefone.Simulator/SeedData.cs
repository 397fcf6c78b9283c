using System;
using System.Collections.Generic;
using System.Globalization;

namespace Acefone.Simulator;

/// <summary>The deterministic seeded data (restored by a reset).</summary>
public static class SeedData
{
    public const string Email = "admin@example.com";
    public const string LoginId = "admin";
    public const string Password = "Simulat0r!Pass";
    public const string ConsoleToken = "sim-console-token-7f3a9c2e51b04d8e";
    public const int UserCount = 250;
    public const long FirstUserId = 314601;
    /// <summary>User index (1-based) that has no agent.</summary>
    public const int UserWithoutAgentIndex = 42;

    /// <summary>The five seeded live call ids.</summary>
    public static IReadOnlyList<string> CallIds { get; } = new[]
    {
        "1714657799.11930961", "1714657799.11930962", "1714657799.11930963", "1714657799.11930964", "1714657799.11930965",
    };

    /// <summary>User id of user index i (1..250).</summary>
    public static long UserId(int i) => 314600 + i;

    /// <summary>Agent id of user index i, e.g. "0502842370001".</summary>
    public static string AgentId(int i) => "05028423" + (70000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>Extension of user index i, e.g. "1001".</summary>
    public static string Extension(int i) => (1000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>Follow-me number of user index i, e.g. "9876510001".</summary>
    public static string FollowMeNumber(int i) => "98765" + (10000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>Softphone username of user index i, e.g. "060210000001".</summary>
    public static string SoftphoneUsername(int i) => "0602" + (10000000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>Seeded agent status of user index i: 3 busy when i%10==7, 4 offline when i%10==9, else 0.</summary>
    public static int AgentStatus(int i) => (i % 10) switch { 7 => 3, 9 => 4, _ => 0 };

    internal static SimUser[] BuildUsers()
    {
        var users = new SimUser[UserCount];
        for (int i = 1; i <= UserCount; i++)
        {
            bool lead = i <= 3;
            string name = lead ? "Team Lead " + i.ToString(CultureInfo.InvariantCulture) : "Agent " + i.ToString("000", CultureInfo.InvariantCulture);
            string ext = Extension(i);
            SimAgent? agent = i == UserWithoutAgentIndex
                ? null
                : new SimAgent(AgentId(i), name, AgentStatus(i), FollowMeNumber(i), ext, SoftphoneUsername(i));
            users[i - 1] = new SimUser(
                UserId(i), name, agent, "agent" + i.ToString(CultureInfo.InvariantCulture) + "@example.com",
                lead ? 1 : 2, lead ? "Supervisor" : "Agent", ext, 1);
        }
        return users;
    }

    internal static SimDepartment[] BuildDepartments()
    {
        static long[] U(params int[] idx) => Array.ConvertAll(idx, i => UserId(i));
        return new[]
        {
            new SimDepartment("12", "Sales", "Inbound sales queue", "1", "8004", U(1, 4, 5, 6, 8)),
            new SimDepartment("13", "Support", "Customer support", "2", "8005", U(2, 11, 12, 13, 14)),
            new SimDepartment("14", "Billing", "Billing and payments", "1", "8006", U(3, 15, 16, 17, 18)),
            new SimDepartment("15", "Escalations", "Escalated calls, team leads first", "3", "8007", U(1, 2, 3, 19, 20)),
        };
    }

    internal static LiveCall[] BuildCalls(DateTimeOffset now)
    {
        // (agent index, direction, state, age in seconds, customer, did)
        var spec = new (int Agent, string Dir, string State, int Age, string Customer, string Did)[]
        {
            (4, "1", "Answered", 187, "919812345601", "918069123400"),
            (5, "2", "Answered", 95, "919812345602", "918069123401"),
            (6, "1", "Ringing", 12, "919812345603", "918069123400"),
            (7, "1", "Answered", 642, "919812345604", "918069123402"),
            (8, "2", "Ringing", 7, "919812345605", "918069123401"),
        };
        var calls = new LiveCall[spec.Length];
        for (int k = 0; k < spec.Length; k++)
        {
            var s = spec[k];
            string agentName = "Agent " + s.Agent.ToString("000", CultureInfo.InvariantCulture);
            string agentNumber = FollowMeNumber(s.Agent);
            bool inbound = s.Dir == "1";
            calls[k] = new LiveCall
            {
                Id = 88001 + k,
                CallId = CallIds[k],
                Direction = s.Dir,
                Source = inbound ? s.Customer : agentNumber,
                Did = s.Did,
                Destination = inbound ? agentNumber : s.Customer,
                CustomerNumber = s.Customer,
                State = s.State,
                CreatedAt = now.AddSeconds(-s.Age),
                AgentName = agentName,
                AgentNumber = agentNumber,
                Extension = Extension(s.Agent),
                ChannelId = "5f1c2a3e-7b4d-4e21-9a0c-00000000000" + (k + 1).ToString(CultureInfo.InvariantCulture),
            };
        }
        return calls;
    }
}
