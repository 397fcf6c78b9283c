using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>A JSON object as its properties in the order they came, for callers that build their own objects from it.</summary>
    public sealed class JsonObjectValue : IEnumerable<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _properties = new List<KeyValuePair<string, object?>>();

        internal void Add(string name, object? value) => _properties.Add(new KeyValuePair<string, object?>(name, value));

        public int Count => _properties.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
