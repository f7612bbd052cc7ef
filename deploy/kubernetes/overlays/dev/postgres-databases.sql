-- Run by the development PostgreSQL on its first start: one database per department, and the audit trail's.
CREATE DATABASE public_security;
CREATE DATABASE market_regulation;
CREATE DATABASE civil_affairs;
CREATE DATABASE service_hall;
CREATE DATABASE city_operations;
CREATE DATABASE audit;
