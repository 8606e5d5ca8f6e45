-- Orleans' ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet) on PostgreSQL: the tables of cluster
-- membership and the named queries the provider reads from OrleansQuery when a silo starts. See README.md beside this file.

CREATE TABLE OrleansQuery (
    QueryKey varchar(64) NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- One row per cluster (DeploymentId is the cluster ID): the membership table's version, which every change bumps.
CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp timestamptz NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0
);

-- One row per silo (a lucid serve process): where it listens, its status and its last heartbeat.
CREATE TABLE OrleansMembershipTable (
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- A membership write succeeds only if the table's version is still the one the silo read: the version row is bumped
-- first (so a concurrent writer waits on its lock and then finds the version moved), and when the member row's write
-- then finds nothing to change, raising 'LC001' rolls the block back, version bump included. A raised error, not
-- ASSERT: assertions can be switched off (plpgsql.check_asserts).
CREATE FUNCTION lucid_orleans_insert_member(
    cluster text, address_arg text, port_arg integer, generation_arg integer, silo_name text, host_name text,
    status_arg integer, proxy_port integer, start_time timestamptz, alive_time timestamptz, version_arg integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = cluster AND Version = version_arg;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES (cluster, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port, start_time, alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'silo already in the membership table' USING ERRCODE = 'LC001';
    END IF;
    RETURN 1;
EXCEPTION WHEN SQLSTATE 'LC001' THEN
    RETURN 0;
END
$$;

CREATE FUNCTION lucid_orleans_update_member(
    cluster text, address_arg text, port_arg integer, generation_arg integer, status_arg integer,
    suspect_times text, alive_time timestamptz, version_arg integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = cluster AND Version = version_arg;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE OrleansMembershipTable SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = alive_time
    WHERE DeploymentId = cluster AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'silo not in the membership table' USING ERRCODE = 'LC001';
    END IF;
    RETURN 1;
EXCEPTION WHEN SQLSTATE 'LC001' THEN
    RETURN 0;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation'),
('InsertMembershipVersionKey', '
    WITH created AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::integer FROM created'),
('InsertMembershipKey', '
    SELECT lucid_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),
('UpdateMembershipKey', '
    SELECT lucid_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version)'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0'),
-- Status 6 is Dead: cleanup removes the rows of dead silos only.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
        AND COALESCE(SuspectTimes, '''') = '''''),
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND Address = @Address AND Port = @Port AND Generation = @Generation
        AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
        AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''')');
