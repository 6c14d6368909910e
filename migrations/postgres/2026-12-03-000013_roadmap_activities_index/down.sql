DROP INDEX activities_on_roadmap;
