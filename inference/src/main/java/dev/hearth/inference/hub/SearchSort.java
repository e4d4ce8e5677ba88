package dev.hearth.inference.hub;

/// How [HubClient#search] orders repositories (always descending).
public enum SearchSort {
    DOWNLOADS("downloads"),
    LIKES("likes"),
    /// Most recently updated first.
    UPDATED("lastModified"),
    TRENDING("trendingScore");

    private final String apiName;

    SearchSort(String apiName) {
        this.apiName = apiName;
    }

    /// The value of the Hub's `sort` query parameter.
    public String apiName() {
        return apiName;
    }
}
