using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AcefoneBench
{
    /// <summary>
    /// The raw-.NET ceiling for benchmark 1: one HttpClient, one request at a time, the same CSV read from disk
    /// and the same JSON body per row, the answer read and its "success" checked. No PowerShell per row.
    /// </summary>
    public static class HttpClientLoop
    {
        public static int Run(string baseUri, string token, string csvPath)
        {
            using (var http = new HttpClient { BaseAddress = new Uri(baseUri) })
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                int succeeded = 0;
                bool header = true;
                foreach (string line in File.ReadLines(csvPath))
                {
                    if (header) { header = false; continue; }
                    if (line.Length == 0) continue;
                    string[] cells = line.Split(',');
                    var buffer = new MemoryStream(96);
                    using (var json = new Utf8JsonWriter(buffer))
                    {
                        json.WriteStartObject();
                        json.WriteNumber("type", 4);
                        json.WriteString("call_id", cells[0].Trim('"'));
                        json.WriteString("intercom", cells[1].Trim('"'));
                        json.WriteEndObject();
                    }
                    var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    using (HttpResponseMessage response = http.PostAsync("v1/call/options", content).GetAwaiter().GetResult())
                    {
                        byte[] body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                        using (JsonDocument document = JsonDocument.Parse(body))
                        {
                            if (response.IsSuccessStatusCode && document.RootElement.TryGetProperty("success", out JsonElement success)
                                && success.ValueKind == JsonValueKind.True) succeeded++;
                        }
                    }
                }
                return succeeded;
            }
        }
    }
}
