using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Random and mutated answers: the parser and the whole session path may only return a result or raise the
    /// module's own <see cref="AcefoneException"/>. Seeds are fixed, so a failure reproduces.
    /// </summary>
    public class FuzzTests
    {
        private static readonly string[] Seeds =
        {
            "{\"success\":true,\"message\":\"Transfer request initiated\"}",
            "{\"success\":\"false\",\"message\":\"Too many requests.\"}",
            "{\"success\":false,\"message\":\"Invalid Call ID\",\"errors\":{\"call_id\":[\"x\"]}}",
            "{\"Success\":1,\"Message\":null,\"request_id\":\"4f1c\"}",
            "[{\"success\":true}]",
        };

        // What the read side answers, for the directory readers to meet whole, mutated and cut short.
        private static readonly string[] DirectorySeeds =
        {
            "[{\"id\":1,\"call_id\":\"1714657799.11930961\",\"direction\":1,\"customer_number\":\"9876543210\",\"state\":\"Answered\",\"created_at\":\"2026-12-02 10:00:00\",\"call_time\":\"00:01:05\",\"agent_name\":\"Asha\"}]",
            "[]",
            "{\"has_more\":false,\"count\":1,\"last_seen_id\":314678,\"data\":[{\"id\":314678,\"name\":\"Asha\",\"agent\":{\"id\":\"0502842370097\",\"name\":\"Asha\",\"status\":0},\"extension\":\"101\"}]}",
            "[{\"id\":\"17\",\"name\":\"Sales\",\"agents\":[{\"id\":\"0502842370097\",\"name\":\"Asha\",\"eid\":\"8004\"}]}]",
        };

        private static IEnumerable<byte[]> Bodies(int seed, int count, string[]? seeds = null)
        {
            seeds ??= Seeds;
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                byte[] body;
                switch (i % 4)
                {
                    case 0: // random bytes
                        body = new byte[random.Next(0, 200)];
                        random.NextBytes(body);
                        break;
                    case 1: // a seed with bytes flipped
                        body = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
                        for (int flips = random.Next(1, 6); flips > 0 && body.Length > 0; flips--)
                            body[random.Next(body.Length)] = (byte)random.Next(256);
                        break;
                    case 2: // a seed cut short
                        string text = seeds[random.Next(seeds.Length)];
                        body = Encoding.UTF8.GetBytes(text.Substring(0, random.Next(text.Length + 1)));
                        break;
                    default: // JSON-ish tokens strung together, sometimes deeply nested
                        string[] tokens = { "{", "}", "[", "]", "\"success\"", ":", ",", "true", "\"false\"", "null", "1e309", "\"\\u0000\"", "-0", "\"message\"" };
                        var builder = new StringBuilder();
                        if (random.Next(10) == 0) builder.Append(new string('[', 200));
                        for (int t = random.Next(1, 30); t > 0; t--) builder.Append(tokens[random.Next(tokens.Length)]);
                        body = Encoding.UTF8.GetBytes(builder.ToString());
                        break;
                }
                yield return body;
            }
        }

        [Fact]
        public void The_parser_only_returns_or_raises_InvalidResponse()
        {
            int parsed = 0, refused = 0;
            foreach (byte[] body in Bodies(20261125, 5000))
            {
                try
                {
                    ResponseJson.ReadStatus(body, body.Length);
                    parsed++;
                }
                catch (AcefoneException ex)
                {
                    Assert.Equal(AcefoneErrorKind.InvalidResponse, ex.Kind);
                    refused++;
                }
                ResponseJson.TryReadMessage(body, body.Length); // never throws
            }
            Assert.True(parsed > 0 && refused > 0, $"the corpus should exercise both paths ({parsed} parsed, {refused} refused)");
        }

        [Fact]
        public void Directory_parsers_only_return_or_raise_the_modules_error()
        {
            // Each reader gets every parseable body on its own: one reader's refusal must not spare the next.
            var readers = new (string Name, Action<System.Text.Json.JsonElement> Read)[]
            {
                ("live calls", root => LiveCallJson.ReadLiveCalls(root)),
                ("user page", root => DirectoryJson.ReadUserPage(root)),
                ("departments", root => DirectoryJson.ReadDepartments(root)),
            };
            var returned = new int[readers.Length];
            var refused = new int[readers.Length];
            // Mutations of the read side's own answers, and every seed whole.
            IEnumerable<byte[]> corpus = Bodies(7, 2000, DirectorySeeds).Concat(DirectorySeeds.Select(Encoding.UTF8.GetBytes));
            foreach (byte[] body in corpus)
            {
                System.Text.Json.JsonDocument document;
                try
                {
                    document = ResponseJson.Parse(body, body.Length);
                }
                catch (AcefoneException ex)
                {
                    Assert.Equal(AcefoneErrorKind.InvalidResponse, ex.Kind);
                    continue;
                }
                using (document)
                {
                    for (int r = 0; r < readers.Length; r++)
                    {
                        try
                        {
                            readers[r].Read(document.RootElement);
                            returned[r]++;
                        }
                        catch (AcefoneException)
                        {
                            // Any of the module's own kinds is fine (a random body may say success:false).
                            refused[r]++;
                        }
                    }
                }
            }
            for (int r = 0; r < readers.Length; r++)
                Assert.True(returned[r] > 0 && refused[r] > 0,
                    $"the corpus should make the {readers[r].Name} reader both return and refuse ({returned[r]} returned, {refused[r]} refused)");
        }

        [Fact]
        public async Task A_session_fed_random_answers_only_returns_results_or_AcefoneExceptions()
        {
            // 429 is left out: it paces the whole session, and is covered by the rate-limit tests.
            int[] statuses = { 200, 200, 200, 201, 400, 401, 403, 404, 422, 500, 502, 503 };
            List<byte[]> bodies = Bodies(99, 400).ToList();
            var handler = new ScriptedHandler((_, _, n) =>
            {
                var response = new System.Net.Http.HttpResponseMessage((System.Net.HttpStatusCode)statuses[n % statuses.Length])
                {
                    Content = new System.Net.Http.ByteArrayContent(bodies[n % bodies.Count]),
                };
                return response;
            });
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(maxRetries: 1));
            int results = 0;
            var kinds = new HashSet<AcefoneErrorKind>();
            for (int i = 0; i < 400; i++)
            {
                // Anything but a result or the module's own exception escapes this loop and fails the test.
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer("1." + i, "8004"));
                    results++;
                }
                catch (AcefoneException ex)
                {
                    kinds.Add(ex.Kind);
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                    if (ex.StatusCode.HasValue) Assert.Contains(ex.StatusCode.Value, statuses);
                    // A status the API really sent is never reported as "no answer came".
                    Assert.NotEqual(AcefoneErrorKind.OutcomeUnknown, ex.Kind);
                }
            }
            Assert.True(results > 0, "some random 200s are readable successes");
            foreach (AcefoneErrorKind expected in new[] { AcefoneErrorKind.InvalidResponse, AcefoneErrorKind.InvalidRequest, AcefoneErrorKind.Forbidden, AcefoneErrorKind.ServerError, AcefoneErrorKind.AuthenticationFailed })
                Assert.Contains(expected, kinds);
        }
    }
}
